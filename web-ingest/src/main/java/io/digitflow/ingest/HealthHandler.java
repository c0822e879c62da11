package io.digitflow.ingest;

import io.digitflow.inbox.Inbox;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/** {@code GET /healthz}: 200 when Cassandra answers and the inbox is writable, else 503 with the reason. */
final class HealthHandler implements HttpHandler {
    private final ResultsDatabase database;
    private final Inbox inbox;

    HealthHandler(ResultsDatabase database, Inbox inbox) {
        this.database = database;
        this.inbox = inbox;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!inbox.isWritable()) {
            Json.send(exchange, 503, Map.of("status", "unavailable", "reason", "the inbox " + inbox.dir() + " is missing or not writable"));
            return;
        }
        try {
            database.ping();
        } catch (RuntimeException e) {
            Json.send(exchange, 503, Map.of("status", "unavailable", "reason", e.getMessage()));
            return;
        }
        Json.send(exchange, 200, Map.of("status", "ok"));
    }
}
