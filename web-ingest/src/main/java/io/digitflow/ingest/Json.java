package io.digitflow.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/** JSON responses. Jackson escapes every string, so user-given names are safe in any JSON context. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** How long the rest of a body answered early is still read (and dropped) before the connection is closed. */
    static final long LINGER_SECONDS = 2;

    static void send(HttpServerExchange exchange, int status, Object body) {
        String text;
        try {
            text = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (!exchange.isRequestComplete()) {
            // Answered before the body was read: Undertow reads and drops the rest after the answer
            // (by its length or chunks, so none of it is taken for a next request), and a client
            // still sending reads the answer. Closing at once instead reset the connection under a
            // browser still sending a too-large upload, which then showed no answer at all.
            // A body still arriving after LINGER_SECONDS is cut off.
            exchange.getIoThread().executeAfter(() -> {
                if (!exchange.isRequestComplete()) {
                    IoUtils.safeClose(exchange.getConnection());
                }
            }, LINGER_SECONDS, TimeUnit.SECONDS);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(text);
    }

    static void error(HttpServerExchange exchange, int status, String message) {
        send(exchange, status, Map.of("error", message));
    }

    /** An error naming the reject reason code too, as the predictions API does for a rejected image. */
    static void error(HttpServerExchange exchange, int status, String message, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("reason", reason);
        send(exchange, status, body);
    }
}
