package io.digitflow.ingest;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

/**
 * The security headers, on every answer the handlers give (added when the answer is committed, so
 * no handler can lose them). The page's own script and style files satisfy the policy: no inline
 * script, no inline style attribute, nothing from elsewhere.
 */
final class SecurityHeaders implements HttpHandler {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final HttpHandler next;

    SecurityHeaders(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseCommitListener(SecurityHeaders::add);
        next.handleRequest(exchange);
    }

    static void add(HttpServerExchange exchange) {
        HeaderMap h = exchange.getResponseHeaders();
        h.put(new HttpString("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
        h.put(new HttpString("X-Content-Type-Options"), "nosniff");
        h.put(new HttpString("X-Frame-Options"), "DENY");
        // same-origin, not no-referrer: with no-referrer a browser names the page's own form "null" as its origin.
        h.put(new HttpString("Referrer-Policy"), "same-origin");
        h.put(new HttpString("Cross-Origin-Opener-Policy"), "same-origin");
        h.put(new HttpString("Cross-Origin-Resource-Policy"), "same-origin");
    }
}
