package io.digitflow.ingest;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answers only to the host names it knows, against DNS rebinding: a page of {@code evil.example}
 * whose name is made to resolve to 127.0.0.1 reaches this server with {@code Host: evil.example}
 * and gets 403, so it can neither read results nor upload. Known: {@code localhost}, any IP address
 * (a rebinding attack needs a name) and the names given with {@code --allow-host} ({@code *}: any).
 */
final class HostGuard implements HttpHandler {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+(%[0-9a-zA-Z._~-]+)?]");

    private final Set<String> names;
    private final boolean any;
    private final HttpHandler next;

    HostGuard(Set<String> allowedNames, HttpHandler next) {
        this.names = allowedNames.stream().map(HostGuard::canonical).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.any = allowedNames.contains("*");
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (host == null || !isKnown(hostName(host))) {
            Json.error(exchange, 403, "this server does not answer to that host name (start it with --allow-host NAME to serve a name)");
            return;
        }
        next.handleRequest(exchange);
    }

    boolean isKnown(String name) {
        return any || name.equals("localhost") || IPV4.matcher(name).matches() || IPV6.matcher(name).matches() || names.contains(name);
    }

    /** The host name of a {@code Host} header or an origin's authority, without its port, lower case. */
    static String hostName(String authority) {
        String a = authority.strip();
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end < 0 ? a : a.substring(0, end + 1).toLowerCase(Locale.ROOT);
        }
        int colon = a.lastIndexOf(':');
        return canonical(colon < 0 ? a : a.substring(0, colon));
    }

    private static String canonical(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
