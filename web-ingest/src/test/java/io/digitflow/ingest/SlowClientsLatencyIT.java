package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.mnist.Mnist;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import io.digitflow.testkit.TestModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upload → result through the page's API with the real stream, quiet and beside 50 slow clients
 * (kept up as an attacker keeps them), in alternating blocks so both see the same machine: the
 * slow clients must not slow the honest uploads (target: p50 within 20% of the quiet p50).
 */
class SlowClientsLatencyIT {
    private static final int BLOCKS = 4;
    private static final int PER_BLOCK = 10;
    private static final Duration POLL = Duration.ofMillis(20);

    private static StreamUnderTest stream;
    private static WebServer server;
    private static List<byte[]> digits;

    @BeforeAll
    static void start() throws Exception {
        var work = TestHome.root().resolve("web-ingest/target/slow-clients-latency-it/" + UUID.randomUUID());
        String cassandra = TestCassandra.settings().cassandraSpec();
        stream = StreamUnderTest.start(work, TestModels.softmax().root(), cassandra);
        server = WebServer.start(WebServerIT.options(stream.inbox(), cassandra, 10));
        Mnist.DataSet mnist = DigitImages.mnistTest();
        digits = new ArrayList<>();
        for (int i = 0; i < 10 + 2 * BLOCKS * PER_BLOCK; i++) {
            digits.add(DigitImages.encode(DigitImages.canvasDrawing(mnist.image(i), 280), "png"));
        }
        stream.awaitWatching(Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (stream != null) {
            stream.close();
        }
    }

    @Test
    void fiftySlowClientsDoNotSlowUploadToResult() throws Exception {
        HttpClient http = UploadLoad.client();
        String base = "http://127.0.0.1:" + server.port();
        int next = 0;
        for (int i = 0; i < 10; i++) {
            uploadToResult(http, base, next++); // warm-up
        }
        List<Double> quiet = new ArrayList<>();
        List<Double> attacked = new ArrayList<>();
        int dropped = 0;
        for (int block = 0; block < BLOCKS; block++) {
            for (int i = 0; i < PER_BLOCK; i++) {
                quiet.add(uploadToResult(http, base, next++));
            }
            try (SlowClients slow = SlowClients.start(server.port(), 15, 15, 20)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (slow.open() < 50 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(50, slow.open(), "the slow clients are connected");
                for (int i = 0; i < PER_BLOCK; i++) {
                    attacked.add(uploadToResult(http, base, next++));
                }
                dropped += slow.dropped();
            }
        }
        double quietP50 = median(quiet);
        double attackedP50 = median(attacked);
        System.out.printf("SlowClientsLatencyIT: upload → result p50 %.0f ms quiet, %.0f ms beside 50 slow clients (ratio %.2f; "
                + "p95 %.0f / %.0f ms; %d slow connections dropped by the server meanwhile)%n", quietP50, attackedP50, attackedP50 / quietP50,
                percentile(quiet, 95), percentile(attacked, 95), dropped);
        // The target is 1.2; the bound leaves room for a machine shared with other builds.
        assertTrue(attackedP50 <= 1.5 * quietP50, "p50 " + attackedP50 + " ms beside slow clients against " + quietP50 + " ms quiet");
    }

    /** Milliseconds from sending the upload to the first 200 of its result. */
    private static double uploadToResult(HttpClient http, String base, int index) throws Exception {
        UploadLoad.Sent sent = UploadLoad.send(http, base, index, digits.get(index));
        assertEquals(202, sent.status(), sent::detail);
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + sent.id().orElseThrow())).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return (System.nanoTime() - sent.startNanos()) / 1e6;
            }
            assertEquals(202, r.statusCode(), r::body);
            assertTrue(System.nanoTime() < deadline, "no result within 60 s");
            Thread.sleep(POLL.toMillis());
        }
    }

    private static double median(List<Double> values) {
        return percentile(values, 50);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
