package io.digitflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus}, installed by
 * bin/lib/prerequisites.d/prometheus) on a free loopback port, with its data under {@code work},
 * asked through its HTTP API as a dashboard or an alert would ask it.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One series of an instant query's answer. */
    record Sample(Map<String, String> labels, double value) {
    }

    private final Process process;
    private final Path log;
    private final String base;

    private PrometheusServer(Process process, Path log, String base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Starts Prometheus on {@code config} and waits until it is ready to answer queries. */
    static PrometheusServer start(Path config, Path work, Duration timeout) throws IOException, InterruptedException {
        int port = freePort();
        Path log = work.resolve("prometheus.log");
        Process process = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=info")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, "http://127.0.0.1:" + port);
        server.awaitReady(timeout);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("Prometheus was not ready within " + timeout.toSeconds() + " s:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** The answer to an instant PromQL query, one sample per series (none when nothing matches). */
    List<Sample> query(String promql) throws IOException, InterruptedException {
        JsonNode answer = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!answer.path("data").path("resultType").asText().equals("vector")) {
            throw new IllegalStateException(promql + " is not an instant vector query: " + answer);
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode series : answer.path("data").path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            series.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            samples.add(new Sample(labels, Double.parseDouble(series.path("value").get(1).asText())));
        }
        return samples;
    }

    /** The alerting rules Prometheus loaded, by alert name, with their state (inactive, pending, firing). */
    Map<String, String> alertStates() throws IOException, InterruptedException {
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode group : api("/api/v1/rules?type=alert").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                states.put(rule.path("name").asText(), rule.path("state").asText());
            }
        }
        return states;
    }

    /** What a failure message needs: each target's health and last error, and the end of Prometheus' log. */
    String diagnosis() {
        String targets;
        try {
            targets = get("/api/v1/targets").body();
        } catch (IOException | InterruptedException e) {
            targets = "(no answer from /api/v1/targets: " + e + ")";
        }
        String text = log();
        return "targets: " + targets + "\nPrometheus log (end):\n" + text.substring(Math.max(0, text.length() - 4000));
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !answer.path("status").asText().equals("success")) {
            throw new IllegalStateException(path + " → " + response.statusCode() + " " + response.body());
        }
        return answer;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
