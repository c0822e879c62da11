package io.digitflow.ingest;

import com.datastax.oss.driver.api.core.DriverException;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.ExceptionHandler;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whatever a handler throws is answered in JSON, never as Undertow's bare 500: any failure of the
 * Cassandra driver (or of connecting to it) is 503 with {@code Retry-After}, anything else 500.
 * The details (hosts, paths, stack) go to the log, never to the client.
 */
final class ErrorAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);

    private ErrorAnswers() {
    }

    static HttpHandler guard(HttpHandler next) {
        return Handlers.exceptionHandler(next).addExceptionHandler(Throwable.class, ErrorAnswers::answer);
    }

    private static void answer(HttpServerExchange exchange) {
        Throwable failure = exchange.getAttachment(ExceptionHandler.THROWABLE);
        if (exchange.isResponseStarted()) {
            LOG.warn("{} {} failed after its answer had started", exchange.getRequestMethod(), exchange.getRequestPath(), failure);
            return;
        }
        if (isResultsFailure(failure)) {
            LOG.warn("{} {}: the results database failed: {}", exchange.getRequestMethod(), exchange.getRequestPath(), detail(failure));
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
            Json.error(exchange, 503, "the results database is unavailable; retry in a moment");
            return;
        }
        LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), failure);
        Json.error(exchange, 500, "internal error");
    }

    static boolean isResultsFailure(Throwable t) {
        return Causes.any(t, c -> c instanceof DriverException || c instanceof ResultsUnavailableException);
    }

    static String detail(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(b.length() == 0 ? "" : " <- ").append(c);
        }
        return b.toString();
    }
}
