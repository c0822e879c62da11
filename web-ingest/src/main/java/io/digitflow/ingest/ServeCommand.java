package io.digitflow.ingest;

import io.digitflow.config.Locations;
import io.digitflow.config.Settings;
import io.digitflow.config.UsageException;
import io.digitflow.config.Version;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/digitflow serve}: the page and the JSON API until the process is stopped. */
@Command(name = "digitflow serve", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "The upload page and its JSON API.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:DIGITFLOW_HOST:-" + WebOptions.LOOPBACK + "}",
            description = "address to listen on (DIGITFLOW_HOST, default 127.0.0.1: this machine only; 0.0.0.0: every interface, "
                    + "which needs an access token or --open)")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "${env:DIGITFLOW_PORT:-5000}",
            description = "HTTP port (DIGITFLOW_PORT, default 5000; 0 = any free port)")
    int port;

    @Mixin
    Locations locations;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:DIGITFLOW_WEB_TOKEN_FILE}",
            description = "require this access token (the file's first line, at least 16 characters) from the page's login and the API's "
                    + "Authorization: Bearer header (DIGITFLOW_WEB_TOKEN_FILE; or the token itself in DIGITFLOW_WEB_TOKEN)")
    Path tokenFile;

    @Option(names = "--open", description = "serve beyond this machine without an access token, deliberately")
    boolean open;

    @Option(names = "--allow-host", paramLabel = "NAME", split = ",", defaultValue = "${env:DIGITFLOW_ALLOWED_HOSTS}",
            description = "a host name the page is reached by, besides localhost and IP addresses (repeatable; DIGITFLOW_ALLOWED_HOSTS, "
                    + "comma-separated; * for any)")
    List<String> allowedHosts;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN", split = ",", defaultValue = "${env:DIGITFLOW_ALLOWED_ORIGINS}",
            description = "another origin (https://name[:port]) whose pages may upload (repeatable; DIGITFLOW_ALLOWED_ORIGINS, comma-separated)")
    List<String> allowedOrigins;

    @Option(names = "--max-upload-mb", paramLabel = "N", defaultValue = "${env:DIGITFLOW_MAX_UPLOAD_MB:-10}",
            description = "largest accepted request (DIGITFLOW_MAX_UPLOAD_MB, default 10)")
    int maxUploadMb;

    @Option(names = "--max-concurrent-uploads", paramLabel = "N", defaultValue = "" + WebOptions.DEFAULT_CONCURRENT_UPLOADS,
            description = "uploads received at once; more wait in a queue (default 64)")
    int maxConcurrentUploads;

    @Option(names = "--max-queued-uploads", paramLabel = "N", defaultValue = "" + WebOptions.DEFAULT_QUEUED_UPLOADS,
            description = "uploads waiting for a slot before answering 503 (default 256)")
    int maxQueuedUploads;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + WebOptions.DEFAULT_MAX_CONNECTIONS,
            description = "connections open at once; more wait to be accepted (default 512)")
    int maxConnections;

    @Option(names = "--upload-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "longest time an upload's body may take (default 120; it must also keep 1 KB/s after its first 10 s)")
    int uploadTimeoutSeconds;

    WebOptions options() {
        return options(System.getenv());
    }

    WebOptions options(Map<String, String> env) {
        // At least 1: Undertow's RequestLimit reads a queue size of 0 as "unbounded".
        if (port < 0 || port > 65535 || maxUploadMb < 1 || maxConcurrentUploads < 1 || maxQueuedUploads < 1 || maxConnections < 1
                || uploadTimeoutSeconds < 1) {
            throw new UsageException("--port must be 0-65535; --max-upload-mb, --max-concurrent-uploads, --max-queued-uploads, "
                    + "--max-connections and --upload-timeout at least 1");
        }
        Settings settings = locations.settings();
        Optional<AccessToken> token = token(env, settings.home());
        if (token.isEmpty() && !open && !isLoopback(host)) {
            throw new UsageException("--host " + host + " serves beyond this machine: give an access token (--token-file FILE, "
                    + "DIGITFLOW_WEB_TOKEN_FILE or DIGITFLOW_WEB_TOKEN) or say --open to serve without one");
        }
        Set<String> hosts = names(allowedHosts);
        if (!isWildcard(host)) {
            hosts.add(host);
        }
        Access access = new Access(token, open, hosts, names(allowedOrigins));
        Timeouts timeouts = Timeouts.DEFAULT.withUpload(Timeouts.DEFAULT.upload().withMax(Duration.ofSeconds(uploadTimeoutSeconds)));
        return new WebOptions(settings, host, port, maxUploadMb * 1024L * 1024L, maxConcurrentUploads, maxQueuedUploads, maxConnections,
                WebOptions.DEFAULT_MAX_PARTS, timeouts, access);
    }

    private Optional<AccessToken> token(Map<String, String> env, Path home) {
        if (tokenFile != null) {
            Path file = home.resolve(tokenFile);
            try {
                List<String> lines = Files.readAllLines(file);
                return Optional.of(new AccessToken(lines.isEmpty() ? "" : lines.get(0)));
            } catch (IOException e) {
                throw new UsageException("--token-file: cannot read " + tokenFile + " (" + e.getMessage() + ")");
            }
        }
        String inline = env.get("DIGITFLOW_WEB_TOKEN");
        return inline == null || inline.isBlank() ? Optional.empty() : Optional.of(new AccessToken(inline));
    }

    static boolean isLoopback(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            throw new UsageException("--host " + host + ": unknown address");
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static Set<String> names(List<String> given) {
        Set<String> names = new LinkedHashSet<>();
        if (given != null) {
            given.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(names::add);
        }
        return names;
    }

    @Override
    public Integer call() throws InterruptedException {
        WebOptions options = options();
        System.err.println("digitflow serve\n" + options.describe());
        WebServer server = WebServer.start(options);
        System.err.println("serving http://" + (isWildcard(options.host()) || options.host().equals(WebOptions.LOOPBACK) ? "localhost"
                : options.host()) + ":" + server.port() + "/");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "stop-web"));
        stopped.await();
        return 0;
    }
}
