package io.digitflow.ingest;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.Set;

/**
 * With an access token, only those who show it get past: an API client in
 * {@code Authorization: Bearer <token>}, the page by the session cookie the login form sets.
 * Open to all: the login page, the page's assets and {@code /healthz} (which names nothing).
 * Without the token, the page is redirected to the login and the API answers 401.
 */
final class AccessGuard implements HttpHandler {
    static final String SESSION_COOKIE = "digitflow_session";
    private static final Set<String> PUBLIC = Set.of("/login", "/healthz");

    private final AccessToken token;
    private final HttpHandler next;

    AccessGuard(AccessToken token, HttpHandler next) {
        this.token = token;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        if (PUBLIC.contains(path) || path.startsWith("/assets/") || isAuthorised(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        if (path.equals("/") && (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD))) {
            exchange.setStatusCode(303);
            exchange.getResponseHeaders().put(Headers.LOCATION, "/login");
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"digitflow\"");
        Json.error(exchange, 401, "log in first: the page's login, or the header Authorization: Bearer <token>");
    }

    private boolean isAuthorised(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return token.matches(authorization.substring(7));
        }
        Cookie session = exchange.getRequestCookie(SESSION_COOKIE);
        return session != null && token.matchesSession(session.getValue());
    }
}
