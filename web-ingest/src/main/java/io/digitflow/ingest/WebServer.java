package io.digitflow.ingest;

import io.digitflow.config.Cli;
import io.digitflow.inbox.Inbox;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.RequestLimit;
import io.undertow.server.handlers.RequestLimitingHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The upload page and JSON API (docs/contract.md), composed from small Undertow handlers:
 * a router, blocking handlers for the endpoints that do I/O, and a class-path resource handler
 * (no directory listing) for the page's own assets — nothing is fetched from a CDN.
 *
 * <pre>bin/digitflow serve [--port 5000] [--inbox DIR] [--max-upload-mb 10]</pre>
 */
public final class WebServer implements AutoCloseable {
    /** Worker threads kept for everything but uploads (Undertow's own default for 2 cores is 16 in all). */
    static final int LOOKUP_WORKER_THREADS = 16;

    private final Undertow undertow;
    private final ResultsDatabase database;

    private WebServer(Undertow undertow, ResultsDatabase database) {
        this.undertow = undertow;
        this.database = database;
    }

    public static void main(String[] args) {
        Cli.main(new ServeCommand(), args);
    }

    static WebServer start(WebOptions options) {
        Inbox inbox = new Inbox(options.settings().inbox());
        try {
            inbox.createDirectories();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the inbox " + options.settings().inbox(), e);
        }
        ResultsDatabase database = new ResultsDatabase(options.settings());
        PredictionsHandler predictions = new PredictionsHandler(database, inbox);
        RoutingHandler routes = Handlers.routing()
                .get("/", page("index.html"))
                .post("/api/images", boundedUploads(new BlockingHandler(new UploadHandler(inbox, options.maxUploadBytes())), options))
                .get("/api/predictions", new BlockingHandler(unavailableAware(predictions.recent())))
                .get("/api/predictions/{id}", new BlockingHandler(unavailableAware(predictions.one())))
                .get("/healthz", new BlockingHandler(new HealthHandler(database, inbox)))
                .get("/assets/*", assets())
                .setFallbackHandler(exchange -> Json.error(exchange, 404, "not found"));
        Undertow undertow = Undertow.builder()
                .addHttpListener(options.port(), "0.0.0.0")
                // Uploads block a worker thread each while they stream to disk; these come on top,
                // so result lookups and /healthz are answered even when every upload slot is busy.
                .setWorkerThreads(options.maxConcurrentUploads() + LOOKUP_WORKER_THREADS)
                .setHandler(routes)
                .build();
        undertow.start();
        return new WebServer(undertow, database);
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * At most {@code maxConcurrentUploads} uploads are read and stored at once; more wait their
     * turn suspended (holding no worker thread, so lookups keep being answered), and only when
     * {@code maxQueuedUploads} already wait is an upload answered 503. A burst from many clients
     * is thereby slowed down, not refused.
     */
    private static HttpHandler boundedUploads(HttpHandler uploads, WebOptions options) {
        RequestLimit limit = new RequestLimit(options.maxConcurrentUploads(), options.maxQueuedUploads());
        limit.setFailureHandler(exchange -> {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
            Json.error(exchange, 503, "too many uploads at once (" + options.maxQueuedUploads() + " already waiting); retry in a moment");
        });
        return new RequestLimitingHandler(limit, uploads);
    }

    /** Cassandra being down is a 503 with the reason, not a 500. */
    private static HttpHandler unavailableAware(HttpHandler next) {
        return exchange -> {
            try {
                next.handleRequest(exchange);
            } catch (IllegalStateException e) {
                Json.send(exchange, 503, Map.of("error", e.getMessage()));
            }
        };
    }

    private static HttpHandler assets() {
        ResourceHandler files = new ResourceHandler(new ClassPathResourceManager(WebServer.class.getClassLoader(), "web/assets"));
        files.setDirectoryListingEnabled(false);
        return Handlers.path().addPrefixPath("/assets", files);
    }

    private static HttpHandler page(String name) {
        ResourceHandler files = new ResourceHandler(new ClassPathResourceManager(WebServer.class.getClassLoader(), "web"));
        files.setDirectoryListingEnabled(false);
        return exchange -> {
            exchange.setRelativePath("/" + name);
            files.handleRequest(exchange);
        };
    }

    @Override
    public void close() {
        undertow.stop();
        database.close();
    }
}
