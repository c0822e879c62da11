package io.digitflow.ingest;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses writes made by other sites' pages (cross-site request forgery): a browser names the page
 * that makes a request in {@code Origin} and says in {@code Sec-Fetch-Site} whether it is the same
 * origin (no page can set either). A write is let through when its origin is this server's own (the
 * same host and port as {@code Host}, and not said to be another site) or one given with
 * {@code --allow-origin}; a request naming neither comes from a script or a tool (curl), which no
 * other site can steer.
 */
final class OriginGuard implements HttpHandler {
    private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");

    private final Set<String> allowed;
    private final HttpHandler next;

    OriginGuard(Set<String> allowedOrigins, HttpHandler next) {
        this.allowed = allowedOrigins.stream().map(o -> authority(o).map(a -> scheme(o) + "://" + a).orElse(o))
                .collect(Collectors.toUnmodifiableSet());
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (isSafe(exchange.getRequestMethod()) || isSameOrAllowed(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        Json.error(exchange, 403, "cross-origin request refused: only this server's own page may write (serve --allow-origin to add one)");
    }

    private boolean isSameOrAllowed(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        String site = exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE);
        boolean sameOriginSite = site == null || site.equals("same-origin") || site.equals("none");
        if (origin == null) {
            return sameOriginSite;
        }
        if (origin.strip().equals("null")) {
            // A browser sends "null" for a sandboxed or file: page, and for a form of a page whose
            // referrer policy is no-referrer: only the latter also says same-origin.
            return site != null && site.equals("same-origin");
        }
        Optional<String> authority = authority(origin);
        if (authority.isEmpty()) {
            return false;
        }
        if (allowed.contains(scheme(origin) + "://" + authority.get())) {
            return true;
        }
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        return sameOriginSite && host != null && authority.get().equals(normalise(host, scheme(origin)));
    }

    private static boolean isSafe(HttpString method) {
        return method.equals(Methods.GET) || method.equals(Methods.HEAD) || method.equals(Methods.OPTIONS);
    }

    /** {@code host[:port]} of an origin, lower case, without the scheme's default port. */
    static Optional<String> authority(String origin) {
        try {
            URI uri = new URI(origin.strip());
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return Optional.empty();
            }
            return Optional.of(normalise(uri.getRawAuthority(), uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String scheme(String origin) {
        int at = origin.indexOf("://");
        return at < 0 ? "" : origin.substring(0, at).strip().toLowerCase(Locale.ROOT);
    }

    private static String normalise(String authority, String scheme) {
        String a = authority.strip().toLowerCase(Locale.ROOT);
        String defaultPort = scheme.equalsIgnoreCase("https") ? ":443" : ":80";
        return a.endsWith(defaultPort) ? a.substring(0, a.length() - defaultPort.length()) : a;
    }
}
