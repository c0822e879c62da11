package io.digitflow.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.config.Settings;
import io.digitflow.results.CassandraSessions;
import io.digitflow.testkit.ModuleProcess;
import io.digitflow.testkit.PrivateCassandraNode;
import io.digitflow.testkit.TestHome;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the web benchmarks measure, each part in its own JVM as {@code bin/digitflow} runs it: a
 * fresh Cassandra node of the benchmark's own (unless {@code DIGITFLOW_CASSANDRA} names one), the
 * streaming job and the web server. Everything of a run lives under {@code var/bench/<name>-<time>/}.
 * Ports: {@code DIGITFLOW_BENCH_CASSANDRA_PORT} (9442), {@code DIGITFLOW_BENCH_CASSANDRA_STORAGE_PORT}
 * (7400), {@code DIGITFLOW_BENCH_WEB_PORT} (5400).
 */
final class WebBenchSystem implements AutoCloseable {
    private final Path work;
    private final PrivateCassandraNode node;
    private final StreamUnderTest stream;
    private final ModuleProcess web;
    private final CqlSession session;
    private final String base;

    private WebBenchSystem(Path work, PrivateCassandraNode node, StreamUnderTest stream, ModuleProcess web, CqlSession session, String base) {
        this.work = work;
        this.node = node;
        this.stream = stream;
        this.web = web;
        this.session = session;
        this.base = base;
    }

    static WebBenchSystem start(String name, Path models) throws Exception {
        Path work = TestHome.root().resolve("var/bench/" + name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        String cassandra = System.getenv("DIGITFLOW_CASSANDRA");
        PrivateCassandraNode node = null;
        if (cassandra == null || cassandra.isBlank()) {
            int port = envInt("DIGITFLOW_BENCH_CASSANDRA_PORT", 9442);
            node = new PrivateCassandraNode(work.resolve("cassandra"), port, envInt("DIGITFLOW_BENCH_CASSANDRA_STORAGE_PORT", 7400));
            System.out.println("starting a Cassandra node of the benchmark's own on 127.0.0.1:" + port);
            node.start().requireSuccess();
            cassandra = "127.0.0.1:" + port;
        }
        StreamUnderTest stream = null;
        ModuleProcess web = null;
        try {
            stream = StreamUnderTest.start(work, models, cassandra);
            int webPort = envInt("DIGITFLOW_BENCH_WEB_PORT", 5400);
            web = ModuleProcess.start("web-ingest", "io.digitflow.ingest.WebServer", Map.of("DIGITFLOW_CASSANDRA", cassandra),
                    work.resolve("web.log"), "--port", Integer.toString(webPort), "--inbox", stream.inbox().toString());
            String base = "http://127.0.0.1:" + webPort;
            Settings settings = Settings.resolve(Optional.empty(), Optional.empty(), Map.of("DIGITFLOW_CASSANDRA", cassandra),
                    TestHome.root().toString());
            CqlSession session = CassandraSessions.open(settings);
            WebBenchSystem system = new WebBenchSystem(work, node, stream, web, session, base);
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "stop-bench"));
            stream.awaitWatching(Duration.ofSeconds(300));
            awaitHealthy(base, web, Duration.ofSeconds(120));
            System.out.println("system up: web " + base + ", stream watching " + stream.inbox() + ", cassandra " + cassandra
                    + ", model store " + models + "; logs under " + work);
            return system;
        } catch (Exception | Error e) {
            if (web != null) {
                web.close();
            }
            if (stream != null) {
                stream.close();
            }
            if (node != null) {
                node.stop();
            }
            throw e;
        }
    }

    private static void awaitHealthy(String base, ModuleProcess web, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        var http = UploadLoad.client();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notListeningYet) {
                // the JVM is still starting
            }
            if (!web.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the web server did not become healthy:\n" + web.logText());
            }
            Thread.sleep(250);
        }
    }

    private static int envInt(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    String base() {
        return base;
    }

    StreamUnderTest stream() {
        return stream;
    }

    CqlSession session() {
        return session;
    }

    Path work() {
        return work;
    }

    /** Stops everything this run started; safe to call twice (Ctrl-C hook and normal end). */
    @Override
    public synchronized void close() {
        try {
            session.close();
            web.close();
            stream.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (node != null) {
                node.stop(); // a no-op when already stopped
            }
        }
    }
}
