package io.digitflow.ingest;

import static io.digitflow.results.PredictionTable.*;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Whether accepted uploads were each scored: a row per id in {@code digitflow.predictions}, exactly
 * one row per id in {@code digitflow.recent_predictions}, and {@code 200} from
 * {@code GET /api/predictions/{id}}. Reads Cassandra directly, so it checks the stream's writes,
 * not what the web server believes.
 */
final class ScoringCheck {
    private static final int IN_CHUNK = 100;
    private static final int GETS_IN_FLIGHT = 8;

    private final CqlSession session;
    private final String base;
    private final PreparedStatement byIds;
    private final PreparedStatement recentRange;
    private final Map<UUID, Row> rows = new HashMap<>();

    ScoringCheck(CqlSession session, String base) {
        this.session = session;
        this.base = base;
        this.byIds = session.prepare("SELECT " + IMAGE_ID + ", " + STATUS + ", " + SOURCE + ", " + UPLOADED_AT
                + " FROM " + KEYSPACE + "." + PREDICTIONS + " WHERE " + IMAGE_ID + " IN ?");
        this.recentRange = session.prepare("SELECT " + IMAGE_ID + " FROM " + KEYSPACE + "." + RECENT
                + " WHERE " + DAY + " = ? AND " + UPLOADED_AT + " >= ? AND " + UPLOADED_AT + " <= ?");
    }

    /**
     * Waits until every id has its row in {@code predictions} (what the API answers from) and
     * returns {@link System#nanoTime()} when the last one was seen; fails after {@code timeout}
     * naming how many are still missing.
     */
    long awaitPredictions(Collection<UUID> ids, Duration timeout) throws InterruptedException {
        Set<UUID> pending = new LinkedHashSet<>(ids);
        pending.removeAll(rows.keySet());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<UUID> batch = new ArrayList<>(pending);
            for (int i = 0; i < batch.size(); i += IN_CHUNK) {
                for (Row row : session.execute(byIds.bind(batch.subList(i, Math.min(batch.size(), i + IN_CHUNK))))) {
                    rows.put(row.getUuid(IMAGE_ID), row);
                    pending.remove(row.getUuid(IMAGE_ID));
                }
            }
            long now = System.nanoTime();
            if (pending.isEmpty()) {
                return now;
            }
            if (now > deadline) {
                throw new IllegalStateException(pending.size() + " of " + ids.size() + " uploads still have no row after "
                        + timeout.toSeconds() + " s, e.g. " + pending.iterator().next());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Every way an upload can fail to be scored exactly once, as readable lines (empty: all good).
     * Call after {@link #awaitPredictions}; the recent table is written right after the main one,
     * so it is given {@code settle} to catch up before a missing row counts.
     */
    List<String> problems(Collection<UUID> ids, Duration settle) throws Exception {
        List<String> problems = new ArrayList<>();
        for (UUID id : ids) {
            Row row = rows.get(id);
            if (row == null) {
                problems.add(id + ": no row in predictions");
            } else if (!"ok".equals(row.getString(STATUS)) || !"upload".equals(row.getString(SOURCE))) {
                problems.add(id + ": status " + row.getString(STATUS) + ", source " + row.getString(SOURCE));
            }
        }
        long deadline = System.nanoTime() + settle.toNanos();
        Map<UUID, Integer> recent = recentRowsPerId(ids);
        while (recent.size() < ids.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            recent = recentRowsPerId(ids);
        }
        for (UUID id : ids) {
            int n = recent.getOrDefault(id, 0);
            if (n != 1) {
                problems.add(id + ": " + n + " rows in recent_predictions");
            }
        }
        problems.addAll(apiProblems(ids));
        return problems;
    }

    /** Rows of {@code recent_predictions} per id, read from the day partitions and time range of the ids' upload times. */
    private Map<UUID, Integer> recentRowsPerId(Collection<UUID> ids) {
        Map<LocalDate, Instant[]> ranges = new TreeMap<>();
        for (UUID id : ids) {
            Row row = rows.get(id);
            if (row == null) {
                continue;
            }
            Instant t = row.getInstant(UPLOADED_AT);
            ranges.merge(dayOf(t), new Instant[] {t, t},
                    (a, b) -> new Instant[] {a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
        }
        Set<UUID> wanted = Set.copyOf(ids);
        Map<UUID, Integer> counts = new HashMap<>();
        ranges.forEach((day, range) -> {
            for (Row row : session.execute(recentRange.bind(day, range[0], range[1]))) {
                UUID id = row.getUuid(IMAGE_ID);
                if (wanted.contains(id)) {
                    counts.merge(id, 1, Integer::sum);
                }
            }
        });
        return counts;
    }

    /** {@code GET /api/predictions/{id}} for every id, a few at a time; lists each answer that is not 200. */
    private List<String> apiProblems(Collection<UUID> ids) throws Exception {
        HttpClient http = UploadLoad.client();
        Semaphore inFlight = new Semaphore(GETS_IN_FLIGHT);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (UUID id : ids) {
            inFlight.acquire();
            HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + id)).GET().build();
            answers.add(http.sendAsync(get, HttpResponse.BodyHandlers.ofString())
                    .handle((response, error) -> {
                        inFlight.release();
                        if (error != null) {
                            return id + ": GET failed: " + error;
                        }
                        return response.statusCode() == 200 ? null : id + ": GET answered " + response.statusCode() + " " + response.body();
                    }));
        }
        List<String> problems = new ArrayList<>();
        for (CompletableFuture<String> answer : answers) {
            String problem = answer.get();
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }
}
