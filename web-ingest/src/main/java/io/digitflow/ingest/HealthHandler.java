package io.digitflow.ingest;

import io.digitflow.inbox.Inbox;
import io.digitflow.inbox.StreamStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz}: 503 with the reason when Cassandra does not answer or the inbox is not
 * writable (the page cannot work); else 200, {@code "status":"ok"} when the stream is scoring, or
 * {@code "degraded"} when it is absent, stale or behind (uploads are kept, results come late), with
 * what the stream last said of itself ({@link StreamStatus}). Open to anyone (health checks carry
 * no token), so it names no path and no host: those go to the log.
 */
final class HealthHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);

    private final ResultsDatabase database;
    private final Inbox inbox;

    HealthHandler(ResultsDatabase database, Inbox inbox) {
        this.database = database;
        this.inbox = inbox;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!inbox.isWritable()) {
            LOG.warn("unhealthy: the inbox {} is missing or not writable", inbox.dir());
            Json.send(exchange, 503, Map.of("status", "unavailable", "reason", "the inbox is missing or not writable"));
            return;
        }
        try {
            database.ping();
        } catch (RuntimeException e) {
            LOG.warn("unhealthy: Cassandra does not answer: {}", ErrorAnswers.detail(e));
            Json.send(exchange, 503, Map.of("status", "unavailable", "reason", "the results database (Cassandra) does not answer"));
            return;
        }
        Map<String, Object> stream = stream(inbox.status(), Instant.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok".equals(stream.get("state")) ? "ok" : "degraded");
        body.put("stream", stream);
        Json.send(exchange, 200, body);
    }

    /** A stream that wrote nothing for this long is gone (it writes every 5 s). */
    static final Duration STALE = Duration.ofSeconds(30);
    /** A file waiting this long means the stream falls behind (or cannot write). */
    static final Duration BEHIND = Duration.ofSeconds(60);

    static Map<String, Object> stream(Optional<StreamStatus> status, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (status.isEmpty()) {
            view.put("state", "absent");
            return view;
        }
        StreamStatus s = status.get();
        long age = Math.max(0, Duration.between(s.heartbeatAt(), now).toSeconds());
        view.put("state", age > STALE.toSeconds() ? "stale" : s.oldestWaitingSeconds() > BEHIND.toSeconds() ? "behind" : "ok");
        view.put("heartbeat_age_seconds", age);
        view.put("last_batch_at", PredictionsHandler.timestamp(s.lastBatchAt()));
        view.put("backlog_files", s.backlogFiles());
        view.put("oldest_waiting_seconds", s.oldestWaitingSeconds());
        view.put("model_version", s.modelVersion());
        view.put("files_last_5_minutes", s.recentFiles());
        return view;
    }
}
