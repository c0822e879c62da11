package io.digitflow.ingest;

import io.digitflow.config.Cli;
import io.digitflow.inbox.Inbox;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.server.handlers.RequestLimit;
import io.undertow.server.handlers.RequestLimitingHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.xnio.Options;

/**
 * The upload page and JSON API (docs/contract.md), composed from small Undertow handlers. From the
 * outside in: security headers on every answer; the host-name check (DNS rebinding); the origin
 * check on writes (cross-site requests); the access token when one is set; then the routes: a
 * class-path resource handler (no directory listing) for the page's own assets — nothing is
 * fetched from a CDN —, the upload handler behind its slots, and blocking handlers for the lookups.
 * Slow clients are bounded by Undertow's and XNIO's own timeouts and connection cap ({@link Timeouts}).
 *
 * <pre>bin/digitflow serve [--host 127.0.0.1] [--port 5000] [--inbox DIR] [--max-upload-mb 10] [--token-file FILE]</pre>
 */
public final class WebServer implements AutoCloseable {
    /** Worker threads: lookups (each waits on Cassandra) and the short check of a received upload. */
    static final int WORKER_THREADS = 32;
    /** Headers of a request, all together: a browser's are a few KB; more is refused by Undertow with 400. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

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
        Timeouts t = options.timeouts();
        Undertow undertow = Undertow.builder()
                .addHttpListener(options.port(), options.host())
                .setWorkerThreads(WORKER_THREADS)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, Timeouts.millis(t.requestHeaders()))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, Timeouts.millis(t.idleConnection()))
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                .setSocketOption(Options.READ_TIMEOUT, Timeouts.millis(t.read()))
                .setSocketOption(Options.WRITE_TIMEOUT, Timeouts.millis(t.write()))
                // Beyond the cap, new connections wait in the kernel's accept queue until one closes.
                .setSocketOption(Options.CONNECTION_HIGH_WATER, options.maxConnections())
                .setSocketOption(Options.CONNECTION_LOW_WATER, options.maxConnections())
                .setHandler(handlers(options, inbox, database))
                .build();
        undertow.start();
        return new WebServer(undertow, database);
    }

    static HttpHandler handlers(WebOptions options, Inbox inbox, ResultsDatabase database) {
        PredictionsHandler predictions = new PredictionsHandler(database, inbox);
        WebMetrics metrics = new WebMetrics();
        RoutingHandler routes = Handlers.routing();
        getAndHead(routes, "/", page("index.html"));
        getAndHead(routes, "/api/predictions", metrics.timed("/api/predictions", lookup(predictions.recent())));
        getAndHead(routes, "/api/predictions/{id}", metrics.timed("/api/predictions/{id}", lookup(predictions.one())));
        routes.post("/api/predictions/{id}/label", metrics.timed("/api/predictions/{id}/label", lookup(predictions.label())));
        getAndHead(routes, "/healthz", metrics.timed("/healthz", lookup(new HealthHandler(database, inbox))));
        getAndHead(routes, "/metrics", metrics.scrape());
        getAndHead(routes, "/assets/*", assets());
        UploadHandler uploads = new UploadHandler(inbox, options.maxUploadBytes(), options.maxParts(), options.timeouts().upload());
        routes.post("/api/images", metrics.timed("/api/images", metrics.uploads(
                metrics.queued(boundedUploads(metrics.started(new HttpContinueReadHandler(uploads)), options)))));
        options.access().token().ifPresent(token -> {
            getAndHead(routes, "/login", page("login.html"));
            routes.post("/login", new BlockingHandler(ErrorAnswers.guard(new LoginHandler(token))));
        });
        routes.setFallbackHandler(exchange -> Json.error(exchange, 404, "not found"));
        routes.setInvalidMethodHandler(exchange -> {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD, POST");
            Json.error(exchange, 405, "method not allowed here");
        });
        HttpHandler guarded = ErrorAnswers.guard(routes);
        if (options.access().token().isPresent()) {
            guarded = new AccessGuard(options.access().token().get(), guarded);
        }
        return new SecurityHeaders(new HostGuard(options.access().allowedHosts(), new OriginGuard(options.access().allowedOrigins(), guarded)));
    }

    private static void getAndHead(RoutingHandler routes, String template, HttpHandler handler) {
        routes.add(Methods.GET, template, handler);
        routes.add(Methods.HEAD, template, handler);
    }

    /** A lookup waits on Cassandra, so it runs on a worker thread; any failure is answered in JSON. */
    private static HttpHandler lookup(HttpHandler handler) {
        return new BlockingHandler(ErrorAnswers.guard(handler));
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * At most {@code maxConcurrentUploads} uploads are received and checked at once; more wait
     * their turn suspended (holding no thread), and only when {@code maxQueuedUploads} already wait
     * is an upload answered 503. A slot costs no thread (the body is read asynchronously) and is
     * lost at the upload's deadline, so slow clients cannot hold them for long.
     */
    private static HttpHandler boundedUploads(HttpHandler uploads, WebOptions options) {
        RequestLimit limit = new RequestLimit(options.maxConcurrentUploads(), options.maxQueuedUploads());
        limit.setFailureHandler(exchange -> {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
            Json.error(exchange, 503, "too many uploads at once (" + options.maxQueuedUploads() + " already waiting); retry in a moment");
        });
        return new RequestLimitingHandler(limit, uploads);
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
