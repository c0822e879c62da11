package io.digitflow.ingest;

import io.digitflow.config.Locations;
import io.digitflow.config.UsageException;
import io.digitflow.config.Version;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/digitflow serve}: the page and the JSON API until the process is stopped. */
@Command(name = "digitflow serve", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "The upload page and its JSON API.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", defaultValue = "${env:DIGITFLOW_PORT:-5000}",
            description = "HTTP port (DIGITFLOW_PORT, default 5000; 0 = any free port)")
    int port;

    @Mixin
    Locations locations;

    @Option(names = "--max-upload-mb", paramLabel = "N", defaultValue = "${env:DIGITFLOW_MAX_UPLOAD_MB:-10}",
            description = "largest accepted request (DIGITFLOW_MAX_UPLOAD_MB, default 10)")
    int maxUploadMb;

    @Option(names = "--max-concurrent-uploads", paramLabel = "N", defaultValue = "16",
            description = "uploads processed at once; more wait in a queue (default 16)")
    int maxConcurrentUploads;

    @Option(names = "--max-queued-uploads", paramLabel = "N", defaultValue = "" + WebOptions.DEFAULT_QUEUED_UPLOADS,
            description = "uploads waiting for a slot before answering 503 (default 256)")
    int maxQueuedUploads;

    WebOptions options() {
        // At least 1: Undertow's RequestLimit reads a queue size of 0 as "unbounded".
        if (port < 0 || port > 65535 || maxUploadMb < 1 || maxConcurrentUploads < 1 || maxQueuedUploads < 1) {
            throw new UsageException("--port must be 0-65535; --max-upload-mb, --max-concurrent-uploads and --max-queued-uploads at least 1");
        }
        return new WebOptions(locations.settings(), port, maxUploadMb * 1024L * 1024L, maxConcurrentUploads, maxQueuedUploads);
    }

    @Override
    public Integer call() throws InterruptedException {
        WebOptions options = options();
        System.err.println("digitflow serve\n" + options.describe());
        WebServer server = WebServer.start(options);
        System.err.println("serving http://localhost:" + server.port() + "/");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "stop-web"));
        stopped.await();
        return 0;
    }
}
