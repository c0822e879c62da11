package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitflow.model.ModelStore;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import io.digitflow.testkit.TestModels;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics as an operator sees them: a real Prometheus, on the shipped scrape jobs and alert
 * rules (conf/prometheus), scrapes a real web server that requires its access token and the real
 * stream in its own JVM; real digits go through the API to Cassandra, and what Prometheus stored
 * must count exactly what happened. promtool checks the configuration and runs the rules' unit tests.
 */
class MetricsIT {
    private static final String TOKEN = "metrics-it-token-0123456789abcdef";
    private static final Path CONF = TestHome.root().resolve("conf/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIGITS = 30;
    private static final int DIGITS_PER_REQUEST = 5;

    private static Path work;
    private static StreamUnderTest stream;
    private static WebServer web;
    private static String base;
    private static Path config;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        work = TestHome.root().resolve("web-ingest/target/metrics-it/" + UUID.randomUUID());
        Files.createDirectories(work);
        ModelStore models = TestModels.softmax();
        String cassandra = TestCassandra.settings().cassandraSpec();
        stream = StreamUnderTest.start(work, models.root(), cassandra);
        web = WebServer.start(WebServerIT.options(stream.inbox(), cassandra, 10).withAccess(Access.LOOPBACK.withToken(new AccessToken(TOKEN))));
        base = "http://127.0.0.1:" + web.port();
        // Prometheus reads the token from a file, as compose hands it the web_token secret.
        Path tokenFile = Files.writeString(work.resolve("web-token"), TOKEN + "\n");
        config = Files.writeString(work.resolve("prometheus.yml"), LocalScrapeConfig.of(Files.readString(CONF.resolve("prometheus.yml")),
                web.port(), stream.metricsPort(Duration.ofSeconds(60)), tokenFile, CONF.resolve("alerts.yml")));
        // Started while the stream's Spark comes up: it scrapes the stream's metrics from their first second.
        prometheus = PrometheusServer.start(config, work, Duration.ofSeconds(30));
        stream.awaitWatching(Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (web != null) {
            web.close();
        }
        if (stream != null) {
            stream.close();
        }
    }

    @Test
    void prometheusStoresWhatTheWebAndTheStreamDid() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int first = 0; first < DIGITS; first += DIGITS_PER_REQUEST) {
            List<Map.Entry<String, byte[]>> files = new ArrayList<>();
            for (int i = first; i < first + DIGITS_PER_REQUEST; i++) {
                files.add(Map.entry("digit-" + i + ".png", digit(i)));
            }
            HttpResponse<String> accepted = WebServerIT.send(withToken(WebServerIT.upload(base, files)));
            assertEquals(202, accepted.statusCode(), accepted.body());
            JSON.readTree(accepted.body()).forEach(item -> ids.add(UUID.fromString(item.get("id").asText())));
        }
        List<List<Map.Entry<String, byte[]>>> refusedUploads = List.of(
                List.of(Map.entry("notes.txt", "not a digit".getBytes())),
                List.of(Map.entry("a.png", digit(0)), Map.entry("readme.txt", "nor this".getBytes())),
                List.of(Map.entry("list.csv", "1,2,3".getBytes())));
        for (var files : refusedUploads) {
            HttpResponse<String> refused = WebServerIT.send(withToken(WebServerIT.upload(base, files)));
            assertEquals(415, refused.statusCode(), refused.body());
        }
        long uploaded = System.nanoTime();
        awaitScored(ids, Duration.ofSeconds(60));
        long scored = System.nanoTime();

        int requests = DIGITS / DIGITS_PER_REQUEST + refusedUploads.size();
        assertValue(1, "up{job=\"digitflow-web\"}", "the web is scraped, with the token from Prometheus' file");
        assertValue(1, "up{job=\"digitflow-stream\"}", "the stream is scraped");
        assertValue(DIGITS, "sum(digitflow_stream_files_total{status=\"ok\"})", "files the stream scored");
        assertValue(DIGITS, "sum(digitflow_stream_files_total)", "files the stream stored a row for");
        assertValue(DIGITS, "sum(digitflow_uploads_total{outcome=\"accepted\"})", "files the web accepted");
        assertValue(refusedUploads.size(), "sum(digitflow_uploads_total{outcome=\"not_an_image\"})", "uploads refused as not images");
        assertValue(requests, "sum(digitflow_http_request_duration_seconds_count{route=\"/api/images\"})", "upload requests timed");
        // A row in each of the two tables per file; a replayed batch writes its rows again.
        double rows = assertAtLeast(2 * DIGITS, "sum(digitflow_cassandra_rows_written_total)", "rows Cassandra acknowledged");
        assertAtLeast(1, "sum(digitflow_stream_batch_duration_seconds_count)", "micro-batches timed");
        assertAtLeast(1, "sum(digitflow_cassandra_write_duration_seconds_count)", "writes timed");
        assertAtLeast(ids.size(), "sum(digitflow_http_request_duration_seconds_count{route=\"/api/predictions/{id}\"})", "lookups timed");

        List<PrometheusServer.Sample> model = prometheus.query("digitflow_model_info");
        assertEquals(1, model.size(), () -> "one model scores: " + model);
        assertEquals(stream.modelVersion(), model.get(0).labels().get("version"), "the version the stream logged");
        Map<String, String> alerts = prometheus.alertStates();
        assertTrue(alerts.keySet().containsAll(List.of("DigitflowStreamDown", "DigitflowRejectRateHigh", "DigitflowBacklogGrowing")),
                "the rules of conf/prometheus/alerts.yml are loaded: " + alerts);
        assertEquals("inactive", alerts.get("DigitflowStreamDown"), "the stream is up: " + alerts);
        System.out.printf("MetricsIT: %d digits scored %.1f s after their uploads; Prometheus had every figure %.1f s later "
                + "(%.0f rows written)%n", DIGITS, (scored - uploaded) / 1e9, (System.nanoTime() - scored) / 1e9, rows);
        // How long a scrape takes, as Prometheus itself timed every scrape of this test (docs/benchmarks.md quotes it).
        for (String job : List.of("digitflow-web", "digitflow-stream")) {
            String range = "scrape_duration_seconds{job=\"" + job + "\"}[10m]";
            System.out.printf("MetricsIT: scrapes of %s: median %.1f ms, p95 %.1f ms, slowest %.1f ms%n", job,
                    1000 * prometheus.query("quantile_over_time(0.5, " + range + ")").get(0).value(),
                    1000 * prometheus.query("quantile_over_time(0.95, " + range + ")").get(0).value(),
                    1000 * prometheus.query("max_over_time(" + range + ")").get(0).value());
        }
    }

    @Test
    void theWebsMetricsNeedTheTokenLikeItsApi() throws Exception {
        HttpRequest anonymous = HttpRequest.newBuilder(URI.create(base + "/metrics")).build();
        assertEquals(401, WebServerIT.send(anonymous).statusCode(), "/metrics without the token");
        HttpResponse<String> scrape = WebServerIT.send(withToken(anonymous));
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.body().contains("# TYPE digitflow_upload_queue_depth gauge"), scrape.body());
    }

    @Test
    void promtoolAcceptsTheShippedConfigTheConfigRunHereAndTheRules() throws Exception {
        // The shipped file names compose's secret path, absent here: its syntax is checked; the
        // copy this test runs (same jobs, real token file) is checked in full, rule files included.
        assertPasses(Promtool.run(CONF, "check", "config", "--syntax-only", "prometheus.yml"));
        assertPasses(Promtool.run(work, "check", "config", config.toString()));
        assertPasses(Promtool.run(CONF, "check", "rules", "alerts.yml"));
    }

    @Test
    void theAlertRulesPassTheirUnitTestsAndABrokenRuleFailsThem(@TempDir Path dir) throws Exception {
        assertPasses(Promtool.run(CONF, "test", "rules", "alerts-test.yml"));

        String rules = Files.readString(CONF.resolve("alerts.yml"));
        String slower = rules.replaceFirst("(alert: DigitflowStreamDown\\n(?:.*\\n)*?\\s+for: )2m", "$110m");
        assertTrue(!slower.equals(rules), "alerts.yml no longer says DigitflowStreamDown ... for: 2m: update this test's mutation");
        Files.writeString(dir.resolve("alerts.yml"), slower);
        Files.copy(CONF.resolve("alerts-test.yml"), dir.resolve("alerts-test.yml"));
        Promtool.Result broken = Promtool.run(dir, "test", "rules", "alerts-test.yml");
        assertTrue(broken.exitCode() != 0 && broken.output().contains("DigitflowStreamDown"),
                "a DigitflowStreamDown that waits 10 minutes passed the rule tests:\n" + broken.output());
    }

    private static void assertPasses(Promtool.Result result) {
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    private static byte[] digit(int index) {
        return DigitImages.encode(DigitImages.canvasDrawing(DigitImages.mnistTest().image(index), 280), "png");
    }

    private static HttpRequest withToken(HttpRequest request) {
        return HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", "Bearer " + TOKEN).build();
    }

    /** Waits until every upload has its result (200), as the page polls for it. */
    private static void awaitScored(List<UUID> ids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (UUID id : ids) {
            HttpRequest lookup = withToken(HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + id)).build());
            HttpResponse<String> answer;
            while ((answer = WebServerIT.send(lookup)).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(id + " not scored within " + timeout.toSeconds() + " s (" + answer.statusCode() + " "
                            + answer.body() + "); the stream scored " + stream.filesScored() + " files:\n" + stream.log());
                }
                Thread.sleep(200);
            }
            JsonNode prediction = JSON.readTree(answer.body());
            assertEquals("ok", prediction.path("status").asText(), answer.body());
        }
    }

    private static void assertValue(double expected, String promql, String what) throws Exception {
        double value = settle(promql, v -> v == expected);
        assertEquals(expected, value, () -> what + ": " + promql + "\n" + prometheus.diagnosis());
    }

    private static double assertAtLeast(double least, String promql, String what) throws Exception {
        double value = settle(promql, v -> v >= least);
        assertTrue(value >= least, () -> what + ": " + promql + " = " + value + ", expected at least " + least + "\n" + prometheus.diagnosis());
        return value;
    }

    /**
     * The single number a query answers, once it satisfies {@code done}, or the last one seen
     * after 30 s (NaN: no series), for the assertion to show what Prometheus had.
     */
    private static double settle(String promql, DoublePredicate done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double value = Double.NaN;
        while (System.nanoTime() < deadline) {
            List<PrometheusServer.Sample> samples = prometheus.query(promql);
            if (samples.size() > 1) {
                throw new AssertionError(promql + " answers several series: " + samples);
            }
            value = samples.isEmpty() ? Double.NaN : samples.get(0).value();
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(250);
        }
        return value;
    }
}
