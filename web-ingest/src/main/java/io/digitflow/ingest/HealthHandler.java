package io.digitflow.ingest;

import io.digitflow.inbox.Inbox;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz}: 200 when Cassandra answers and the inbox is writable, else 503 with the
 * reason. Open to anyone (health checks carry no token), so it names no path and no host: those
 * go to the log.
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
        Json.send(exchange, 200, Map.of("status", "ok"));
    }
}
