package io.digitflow.ingest;

import io.digitflow.inbox.Inbox;
import io.digitflow.results.Prediction;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * {@code GET /api/predictions/{id}} (200 scored · 202 pending · 404 unknown · 422 rejected),
 * {@code GET /api/predictions?limit=N} (most recent first, from the day-partitioned table) and
 * {@code POST /api/predictions/{id}/label} (a person's correction: {@code {"digit": 0-9}}).
 */
final class PredictionsHandler {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 500;
    /** A correction's body is a few bytes; more is not one. */
    static final int MAX_LABEL_BODY = 1024;

    private final ResultsDatabase database;
    private final Predicate<UUID> pending;

    PredictionsHandler(ResultsDatabase database, Inbox inbox) {
        this(database, inbox::isPending);
    }

    /** @param pending whether an image's file still waits in the inbox ({@link Inbox#isPending}) */
    PredictionsHandler(ResultsDatabase database, Predicate<UUID> pending) {
        this.database = database;
        this.pending = pending;
    }

    /** An image's row; or, while it has none, whether its file still waits to be scored. */
    private record Lookup(Optional<Prediction> row, boolean pending) {
    }

    /**
     * Looks the row up, and the inbox when there is none. The stream moves a file out of the inbox
     * only after its row is stored, so a file that left between the two looks has its row now: it
     * is looked up once more instead of being answered "no such image".
     */
    private Lookup lookup(UUID id) {
        Optional<Prediction> row = database.store().find(id);
        if (row.isPresent()) {
            return new Lookup(row, false);
        }
        if (pending.test(id)) {
            return new Lookup(row, true);
        }
        return new Lookup(database.store().find(id), false);
    }

    HttpHandler one() {
        return exchange -> {
            Optional<UUID> id = parseId(exchange.getQueryParameters().get("id").getFirst());
            if (id.isEmpty()) {
                Json.error(exchange, 404, "no such image");
                return;
            }
            Lookup found = lookup(id.get());
            if (found.row().isEmpty()) {
                if (found.pending()) {
                    Json.send(exchange, 202, Map.of("status", "pending"));
                } else {
                    Json.error(exchange, 404, "no such image");
                }
                return;
            }
            Prediction p = found.row().get();
            if (p.status() == Prediction.Status.rejected) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("id", p.imageId().toString());
                body.put("name", p.imageName());
                body.put("status", "rejected");
                body.put("reason", p.reason());
                Json.send(exchange, 422, body);
                return;
            }
            Json.send(exchange, 200, view(p));
        };
    }

    HttpHandler recent() {
        return exchange -> {
            int limit = DEFAULT_LIMIT;
            var param = exchange.getQueryParameters().get("limit");
            if (param != null) {
                try {
                    limit = Integer.parseInt(param.getFirst());
                } catch (NumberFormatException e) {
                    Json.error(exchange, 400, "limit must be a whole number");
                    return;
                }
                if (limit < 1 || limit > MAX_LIMIT) {
                    Json.error(exchange, 400, "limit must be between 1 and " + MAX_LIMIT);
                    return;
                }
            }
            List<Map<String, Object>> rows = database.store().recent(limit).stream().map(PredictionsHandler::view).toList();
            Json.send(exchange, 200, rows);
        };
    }

    /**
     * {@code POST /api/predictions/{id}/label}: 200 with the result, now with its {@code label};
     * 400 for a body that is not {@code {"digit": 0-9}} (an optional {@code "source"} is
     * {@code page} or {@code api}); 404 for an unknown id; 409 when there is nothing to learn from
     * yet (not scored, or rejected). A later correction replaces an earlier one.
     */
    HttpHandler label() {
        return exchange -> {
            Optional<UUID> id = parseId(exchange.getQueryParameters().get("id").getFirst());
            if (id.isEmpty()) {
                Json.error(exchange, 404, "no such image");
                return;
            }
            byte[] body = exchange.getInputStream().readNBytes(MAX_LABEL_BODY + 1);
            if (body.length > MAX_LABEL_BODY) {
                Json.error(exchange, 413, "a correction is {\"digit\": 0-9}, not " + body.length + "+ bytes");
                return;
            }
            Correction correction;
            try {
                correction = Correction.parse(body);
            } catch (IllegalArgumentException e) {
                Json.error(exchange, 400, e.getMessage());
                return;
            }
            Lookup current = lookup(id.get());
            if (current.row().isEmpty()) {
                if (current.pending()) {
                    Json.error(exchange, 409, "not scored yet: correct it once its result is shown");
                } else {
                    Json.error(exchange, 404, "no such image");
                }
                return;
            }
            if (current.row().get().status() == Prediction.Status.rejected) {
                Json.error(exchange, 409, "this image was rejected (" + current.row().get().reason() + "): there is no digit to correct");
                return;
            }
            Optional<Prediction> labelled = database.store().label(id.get(), correction.digit(), correction.source());
            if (labelled.isEmpty()) {
                Json.error(exchange, 404, "no such image");
                return;
            }
            Json.send(exchange, 200, view(labelled.get()));
        };
    }

    /** A correction's body: {@code {"digit": 0-9}} and optionally {@code "source": "page"|"api"}. */
    record Correction(int digit, String source) {
        static Correction parse(byte[] body) {
            com.fasterxml.jackson.databind.JsonNode json;
            try {
                json = Json.MAPPER.readTree(body);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("the body is not JSON: send {\"digit\": 0-9}");
            }
            if (json == null || !json.isObject() || !json.path("digit").isIntegralNumber()) {
                throw new IllegalArgumentException("send {\"digit\": 0-9} with the correct digit as a number");
            }
            int digit = json.get("digit").asInt();
            if (digit < 0 || digit > 9 || !json.get("digit").canConvertToInt()) {
                throw new IllegalArgumentException("digit must be 0 to 9, not " + json.get("digit"));
            }
            String source = json.path("source").asText("api");
            if (!source.equals("page") && !source.equals("api")) {
                throw new IllegalArgumentException("source must be page or api");
            }
            return new Correction(digit, source);
        }
    }

    static Map<String, Object> view(Prediction p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", p.imageId().toString());
        body.put("name", p.imageName());
        body.put("status", p.status().name());
        if (p.status() == Prediction.Status.rejected) {
            body.put("reason", p.reason());
        } else {
            body.put("predicted", p.predicted());
            body.put("confidence", p.confidence());
            if (p.probabilities() != null) {
                body.put("probabilities", p.probabilities());
            }
        }
        if (p.label() != null) {
            body.put("label", p.label());
        }
        body.put("model_version", p.modelVersion());
        body.put("source", p.source().name());
        body.put("uploaded_at", timestamp(p.uploadedAt()));
        body.put("scored_at", timestamp(p.scoredAt()));
        return body;
    }

    /**
     * ISO-8601 UTC with exactly three fraction digits: Cassandra keeps milliseconds, and a fixed
     * width keeps string order equal to time order for clients that sort the text.
     */
    static String timestamp(java.time.Instant t) {
        return t == null ? null : TIMESTAMP.format(t);
    }

    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private static Optional<UUID> parseId(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
