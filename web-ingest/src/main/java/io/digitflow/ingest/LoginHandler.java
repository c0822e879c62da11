package io.digitflow.ingest;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormEncodedDataDefinition;
import io.undertow.server.handlers.form.FormParserFactory;
import io.undertow.util.Headers;
import java.io.IOException;

/**
 * {@code POST /login} (form field {@code token}): the right token sets the session cookie
 * (HttpOnly, SameSite=Strict, 30 days) and goes to the page; a wrong one goes back to the login.
 * Runs blocking (a form of a few bytes, bounded).
 */
final class LoginHandler implements HttpHandler {
    static final int MAX_FORM_BYTES = 4096;
    static final int SESSION_SECONDS = 30 * 24 * 3600;

    private final AccessToken token;
    private final FormParserFactory forms = FormParserFactory.builder(false).addParsers(new FormEncodedDataDefinition()).build();

    LoginHandler(AccessToken token) {
        this.token = token;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        exchange.setMaxEntitySize(MAX_FORM_BYTES);
        FormDataParser parser = forms.createParser(exchange);
        if (parser == null) {
            Json.error(exchange, 400, "expected the login form (application/x-www-form-urlencoded, field 'token')");
            return;
        }
        FormData form;
        try (parser) {
            form = parser.parseBlocking();
        } catch (IOException e) {
            Json.error(exchange, 400, "the login form could not be read");
            return;
        }
        FormData.FormValue given = form.getFirst("token");
        exchange.setStatusCode(303);
        if (given != null && !given.isFileItem() && token.matches(given.getValue())) {
            exchange.setResponseCookie(new CookieImpl(AccessGuard.SESSION_COOKIE, token.sessionValue())
                    .setPath("/").setHttpOnly(true).setSameSiteMode("Strict").setMaxAge(SESSION_SECONDS));
            exchange.getResponseHeaders().put(Headers.LOCATION, "/");
        } else {
            exchange.getResponseHeaders().put(Headers.LOCATION, "/login?failed");
        }
        exchange.endExchange();
    }
}
