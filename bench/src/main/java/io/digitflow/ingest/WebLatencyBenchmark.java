package io.digitflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.digitflow.testkit.TestHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Upload → result visible through {@code GET /api/predictions/{id}}, with the stream running:
 * sequential uploads of canvas-drawn MNIST digits after a warm-up, each polled every 10 ms until
 * it answers 200. Baseline in the same run: the same images written straight into the inbox
 * (no HTTP), polled the same way, alternating with the uploads so both see the same load.
 *
 * <pre>bench/web-latency.sh [N=200] [WARMUP=20] [MODELS_DIR=models]</pre>
 */
public final class WebLatencyBenchmark {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration PER_IMAGE_TIMEOUT = Duration.ofSeconds(60);

    private WebLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path models = TestHome.root().resolve(args.length > 2 ? args[2] : "models");
        CanvasDigits digits = CanvasDigits.first(warmup + n);
        try (WebBenchSystem system = WebBenchSystem.start("web-latency", models)) {
            HttpClient http = UploadLoad.client();
            DirectDrop direct = new DirectDrop(system.stream().inbox());
            for (int i = 0; i < warmup; i++) {
                awaitResult(http, system.base(), UploadLoad.send(http, system.base(), i, digits.pngs().get(i)));
                awaitResult(http, system.base(), direct.drop(i, digits.pngs().get(i)));
            }
            // A row is readable a moment before the stream logs its batch: wait for the log to catch up.
            long scoredBefore = awaitLogged(system.stream(), 2L * warmup);
            double[] viaHttp = new double[n];
            double[] viaInbox = new double[n];
            int rightHttp = 0;
            int rightInbox = 0;
            for (int k = 0; k < n; k++) {
                int i = warmup + k;
                byte[] png = digits.pngs().get(i);
                // Alternate which path goes first so neither always follows the other's batch.
                for (boolean httpTurn : k % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    UploadLoad.Sent sent = httpTurn ? UploadLoad.send(http, system.base(), i, png) : direct.drop(i, png);
                    JsonNode result = awaitResult(http, system.base(), sent);
                    double ms = (System.nanoTime() - sent.startNanos()) / 1e6;
                    boolean right = result.get("predicted").asInt() == digits.labels()[i];
                    if (httpTurn) {
                        viaHttp[k] = ms;
                        rightHttp += right ? 1 : 0;
                    } else {
                        viaInbox[k] = ms;
                        rightInbox += right ? 1 : 0;
                    }
                }
            }
            long scored = awaitLogged(system.stream(), scoredBefore + 2L * n) - scoredBefore;
            Latencies web = Latencies.of(viaHttp);
            Latencies inbox = Latencies.of(viaInbox);
            System.out.printf("%nupload → result visible via GET /api/predictions/{id}, %d sequential uploads after %d warm-up, 280×280 canvas PNGs%n", n, warmup);
            System.out.println("  through HTTP (POST /api/images)  " + web.describe() + String.format("   recognised %.1f%%", 100.0 * rightHttp / n));
            System.out.println("  baseline: written to the inbox   " + inbox.describe() + String.format("   recognised %.1f%%", 100.0 * rightInbox / n));
            System.out.printf("  ratio HTTP / inbox: p50 %.2f, p95 %.2f%n", web.percentile(50) / inbox.percentile(50), web.percentile(95) / inbox.percentile(95));
            System.out.printf("  targets: p50 ≤ 700 ms %s, p95 ≤ 1500 ms %s%n", verdict(web.percentile(50) <= 700), verdict(web.percentile(95) <= 1500));
            System.out.printf("  files the stream scored in the measured part: %d (expected %d)%n", scored, 2L * n);
        }
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    /** Polls the result until 200; anything but 200/202 (or no answer in time) ends the benchmark with the reason. */
    static JsonNode awaitResult(HttpClient http, String base, UploadLoad.Sent sent) throws Exception {
        if (!sent.accepted()) {
            throw new IllegalStateException("upload #" + sent.index() + " was not accepted: " + sent.status() + " " + sent.detail());
        }
        UUID id = sent.id().orElseThrow();
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + id)).GET().build();
        long deadline = System.nanoTime() + PER_IMAGE_TIMEOUT.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return Json.MAPPER.readTree(response.body());
            }
            if (response.statusCode() != 202 || System.nanoTime() > deadline) {
                throw new IllegalStateException("result of " + id + ": " + response.statusCode() + " " + response.body());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The stream's count of scored files once it reaches {@code expected}, or whatever it is after 10 s. */
    private static long awaitLogged(StreamUnderTest stream, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long scored = stream.filesScored();
        while (scored < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            scored = stream.filesScored();
        }
        return scored;
    }
}
