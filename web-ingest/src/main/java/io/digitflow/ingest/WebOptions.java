package io.digitflow.ingest;

import io.digitflow.config.Settings;

/**
 * The web server's options, resolved once (see {@link ServeCommand} for the flags).
 *
 * @param host                 the address to listen on (127.0.0.1: this machine only)
 * @param maxConcurrentUploads uploads received and checked at once (a slow one holds no thread, only its slot)
 * @param maxQueuedUploads     uploads waiting for a slot before the next is answered 503
 * @param maxConnections       connections open at once; more wait in the kernel's accept queue
 * @param maxParts             parts (files) in one upload request
 */
record WebOptions(Settings settings, String host, int port, long maxUploadBytes, int maxConcurrentUploads, int maxQueuedUploads,
        int maxConnections, int maxParts, Timeouts timeouts, Access access) {
    static final String LOOPBACK = "127.0.0.1";
    static final int DEFAULT_CONCURRENT_UPLOADS = 64;
    static final int DEFAULT_QUEUED_UPLOADS = 256;
    static final int DEFAULT_MAX_CONNECTIONS = 512;
    static final int DEFAULT_MAX_PARTS = 1000;

    WebOptions {
        if (maxQueuedUploads < 1) {
            throw new IllegalArgumentException("maxQueuedUploads must be at least 1 (0 would mean unbounded to Undertow)");
        }
        if (maxConcurrentUploads < 1 || maxConnections < 1 || maxParts < 1 || maxUploadBytes < 1) {
            throw new IllegalArgumentException("upload slots, connections, parts and the upload size must be at least 1");
        }
    }

    /** The defaults of {@code serve} on loopback, any free port: what the tests start from. */
    static WebOptions defaults(Settings settings) {
        return new WebOptions(settings, LOOPBACK, 0, 10L * 1024 * 1024, DEFAULT_CONCURRENT_UPLOADS, DEFAULT_QUEUED_UPLOADS,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PARTS, Timeouts.DEFAULT, Access.LOOPBACK);
    }

    WebOptions withMaxUploadBytes(long bytes) {
        return new WebOptions(settings, host, port, bytes, maxConcurrentUploads, maxQueuedUploads, maxConnections, maxParts, timeouts, access);
    }

    WebOptions withUploadSlots(int slots, int queued) {
        return new WebOptions(settings, host, port, maxUploadBytes, slots, queued, maxConnections, maxParts, timeouts, access);
    }

    WebOptions withMaxConnections(int connections) {
        return new WebOptions(settings, host, port, maxUploadBytes, maxConcurrentUploads, maxQueuedUploads, connections, maxParts, timeouts, access);
    }

    WebOptions withMaxParts(int parts) {
        return new WebOptions(settings, host, port, maxUploadBytes, maxConcurrentUploads, maxQueuedUploads, maxConnections, parts, timeouts, access);
    }

    WebOptions withTimeouts(Timeouts t) {
        return new WebOptions(settings, host, port, maxUploadBytes, maxConcurrentUploads, maxQueuedUploads, maxConnections, maxParts, t, access);
    }

    WebOptions withAccess(Access a) {
        return new WebOptions(settings, host, port, maxUploadBytes, maxConcurrentUploads, maxQueuedUploads, maxConnections, maxParts, timeouts, a);
    }

    WebOptions withHost(String h) {
        return new WebOptions(settings, h, port, maxUploadBytes, maxConcurrentUploads, maxQueuedUploads, maxConnections, maxParts, timeouts, access);
    }

    String describe() {
        return settings.describe() + "\n"
                + "  listen      " + host + ":" + port + "\n"
                + "  access      " + access.token().map(t -> "access token required (page login or Authorization: Bearer)")
                        .orElse(access.open() ? "open: no access token (--open)" : "no access token (this machine only)")
                + (access.allowedHosts().isEmpty() ? "" : "; host names " + access.allowedHosts())
                + (access.allowedOrigins().isEmpty() ? "" : "; origins " + access.allowedOrigins()) + "\n"
                + "  uploads     at most " + maxUploadBytes / (1024 * 1024) + " MB and " + maxParts + " files per request, "
                + maxConcurrentUploads + " at once, " + maxQueuedUploads + " more waiting; each within " + timeouts.upload().max().toSeconds()
                + " s\n"
                + "  connections at most " + maxConnections + "; closed after " + Math.min(timeouts.idleConnection().toSeconds(),
                        timeouts.read().toSeconds()) + " s of silence, or " + timeouts.requestHeaders().toSeconds() + " s without complete headers";
    }
}
