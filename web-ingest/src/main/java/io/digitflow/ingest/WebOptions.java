package io.digitflow.ingest;

import io.digitflow.config.Settings;

/** The web server's options, resolved once (see {@link ServeCommand} for the flags). */
record WebOptions(Settings settings, int port, long maxUploadBytes, int maxConcurrentUploads, int maxQueuedUploads) {
    static final int DEFAULT_QUEUED_UPLOADS = 256;

    WebOptions {
        if (maxQueuedUploads < 1) {
            throw new IllegalArgumentException("maxQueuedUploads must be at least 1 (0 would mean unbounded to Undertow)");
        }
    }

    WebOptions(Settings settings, int port, long maxUploadBytes, int maxConcurrentUploads) {
        this(settings, port, maxUploadBytes, maxConcurrentUploads, DEFAULT_QUEUED_UPLOADS);
    }

    String describe() {
        return settings.describe() + "\n"
                + "  port        " + port + "\n"
                + "  uploads     at most " + maxUploadBytes / (1024 * 1024) + " MB per request, " + maxConcurrentUploads + " at once, "
                + maxQueuedUploads + " more waiting";
    }
}
