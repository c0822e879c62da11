package io.digitflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Sends one image per request over real HTTP from several concurrent clients. Each client has its
 * own connection ({@link HttpClient}) and sends its share one request after another, as a person
 * or a script behind one browser would; nothing is retried, so every 5xx shows up in the outcome.
 */
final class UploadLoad {
    private UploadLoad() {
    }

    /** One request: the HTTP status (-1 when it failed without an answer), the id given on 202. */
    record Sent(int index, int status, Optional<UUID> id, String detail, Instant sentAt, long startNanos, long endNanos) {
        boolean accepted() {
            return status == 202 && id.isPresent();
        }
    }

    record Outcome(List<Sent> sent) {
        List<UUID> acceptedIds() {
            return sent.stream().filter(Sent::accepted).map(s -> s.id().orElseThrow()).toList();
        }

        /** Status → count, e.g. {202=300}; -1 counts requests that got no answer. */
        Map<Integer, Long> statusCounts() {
            return sent.stream().collect(Collectors.groupingBy(Sent::status, TreeMap::new, Collectors.counting()));
        }

        /** The first few requests that were not accepted, with what the server said. */
        List<String> refusals() {
            return sent.stream().filter(s -> !s.accepted()).limit(5).map(s -> "#" + s.index() + " " + s.status() + " " + s.detail()).toList();
        }

        long firstStartNanos() {
            return sent.stream().mapToLong(Sent::startNanos).min().orElseThrow();
        }

        long lastEndNanos() {
            return sent.stream().mapToLong(Sent::endNanos).max().orElseThrow();
        }

        double acceptedPerSecond() {
            return acceptedIds().size() / ((lastEndNanos() - firstStartNanos()) / 1e9);
        }
    }

    /** {@code images.get(i)} is sent as {@code digit-<i>.png} by client {@code i % clients}. */
    static Outcome run(String base, List<byte[]> images, int clients, Duration timeout) throws Exception {
        return run(clients, timeout, images.size(), () -> {
            HttpClient http = client();
            return index -> send(http, base, index, images.get(index));
        });
    }

    /**
     * Runs {@code count} actions from {@code clients} threads, each thread with the action
     * {@code perClient} gives it and its share of indexes in order; fails when the whole run exceeds {@code timeout}.
     */
    static Outcome run(int clients, Duration timeout, int count, Supplier<IndexedAction> perClient) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Sent>>> shares = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                shares.add(pool.submit(() -> {
                    IndexedAction action = perClient.get();
                    List<Sent> mine = new ArrayList<>();
                    for (int i = first; i < count; i += clients) {
                        mine.add(action.apply(i));
                    }
                    return mine;
                }));
            }
            pool.shutdown();
            if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(count + " uploads from " + clients + " clients did not finish within " + timeout.toSeconds() + " s");
            }
            List<Sent> all = new ArrayList<>();
            for (Future<List<Sent>> share : shares) {
                all.addAll(share.get());
            }
            return new Outcome(all);
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface IndexedAction {
        Sent apply(int index) throws Exception;
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** One upload; a request that gets no answer is recorded, not thrown, so the run reports it. */
    static Sent send(HttpClient http, String base, int index, byte[] png) {
        Instant sentAt = Instant.now();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(WebServerIT.upload(base, List.of(Map.entry("digit-" + index + ".png", png))),
                    HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            Optional<UUID> id = Optional.empty();
            if (response.statusCode() == 202) {
                JsonNode queued = Json.MAPPER.readTree(response.body());
                id = Optional.of(UUID.fromString(queued.get(0).get("id").asText()));
            }
            return new Sent(index, response.statusCode(), id, response.body(), sentAt, start, end);
        } catch (java.io.IOException e) {
            return new Sent(index, -1, Optional.empty(), e.toString(), sentAt, start, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(index, -1, Optional.empty(), "interrupted", sentAt, start, System.nanoTime());
        }
    }
}
