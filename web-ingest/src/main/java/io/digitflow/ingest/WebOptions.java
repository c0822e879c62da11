package io.digitflow.ingest;

import io.digitflow.config.Flags;
import io.digitflow.config.Settings;
import io.digitflow.config.UsageException;
import java.util.Set;

/** The web server's options, resolved once: flag, then environment variable, then default. */
record WebOptions(Settings settings, int port, long maxUploadBytes, int maxConcurrentUploads, int maxQueuedUploads) {
    static final Set<String> VALUED = Set.of("port", "inbox", "models", "max-upload-mb", "max-concurrent-uploads", "max-queued-uploads");
    static final int DEFAULT_QUEUED_UPLOADS = 256;

    WebOptions {
        if (maxQueuedUploads < 1) {
            throw new IllegalArgumentException("maxQueuedUploads must be at least 1 (0 would mean unbounded to Undertow)");
        }
    }

    WebOptions(Settings settings, int port, long maxUploadBytes, int maxConcurrentUploads) {
        this(settings, port, maxUploadBytes, maxConcurrentUploads, DEFAULT_QUEUED_UPLOADS);
    }

    static WebOptions from(Flags flags) {
        Settings settings = Settings.resolve(flags);
        int port = flags.intValue("port", envInt("DIGITFLOW_PORT", 5000));
        int maxMb = flags.intValue("max-upload-mb", envInt("DIGITFLOW_MAX_UPLOAD_MB", 10));
        int concurrent = flags.intValue("max-concurrent-uploads", 16);
        int queued = flags.intValue("max-queued-uploads", DEFAULT_QUEUED_UPLOADS);
        // At least 1: Undertow's RequestLimit reads a queue size of 0 as "unbounded".
        if (port < 0 || port > 65535 || maxMb < 1 || concurrent < 1 || queued < 1) {
            throw new UsageException("--port must be 0-65535; --max-upload-mb, --max-concurrent-uploads and --max-queued-uploads at least 1");
        }
        return new WebOptions(settings, port, maxMb * 1024L * 1024L, concurrent, queued);
    }

    private static int envInt(String name, int fallback) {
        String v = System.getenv(name);
        try {
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got '" + v + "'");
        }
    }

    String describe() {
        return settings.describe() + "\n"
                + "  port        " + port + "\n"
                + "  uploads     at most " + maxUploadBytes / (1024 * 1024) + " MB per request, " + maxConcurrentUploads + " at once, "
                + maxQueuedUploads + " more waiting";
    }
}
