package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.inbox.Inbox;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitflow.results.Prediction;
import io.digitflow.results.PredictionStore;
import io.digitflow.testkit.TestCassandra;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Undertow server on a free loopback port, real HTTP, the real shared Cassandra node. */
class WebServerIT {
    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path inbox;
    private static WebServer server;
    private static String base;

    @BeforeAll
    static void start() {
        server = WebServer.start(options(inbox, TestCassandra.settings().cassandraSpec(), 1));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static WebOptions options(Path inbox, String cassandra, int maxMb) {
        var s = io.digitflow.config.Settings.resolve(java.util.Optional.of(inbox.toString()), java.util.Optional.empty(),
                Map.of("DIGITFLOW_CASSANDRA", cassandra), inbox.toString());
        return WebOptions.defaults(s).withMaxUploadBytes(maxMb * 1024L * 1024L);
    }

    /** A multipart body with one part per (filename, content). */
    static HttpRequest upload(String url, List<Map.Entry<String, byte[]>> files) {
        String boundary = "----digitflow" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var f : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + f.getKey()
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(f.getValue());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url + "/api/images"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    @Test
    void acceptedUploadsLandInTheInboxUnderTheirIdWithTheNameOnlyInTheSidecar() throws Exception {
        List<String> hostile = List.of("../../etc/passwd.png", "tab\there\u0007bell.png", "x".repeat(1000) + ".png",
                "数字 ✓.png", "same.png", "same.png", "<img src=x onerror=alert(1)>.png");
        var response = send(upload(base, hostile.stream().map(n -> Map.entry(n, PNG_HEAD)).toList()));
        assertEquals(202, response.statusCode(), response.body());
        JsonNode queued = JSON.readTree(response.body());
        assertEquals(hostile.size(), queued.size());
        for (int i = 0; i < hostile.size(); i++) {
            JsonNode item = queued.get(i);
            UUID id = UUID.fromString(item.get("id").asText());
            assertEquals("queued", item.get("status").asText());
            assertTrue(Files.exists(inbox.resolve(id + ".png")), "the image is stored under its id");
            JsonNode sidecar = JSON.readTree(inbox.resolve(".meta/" + id + ".json").toFile());
            assertEquals(item.get("name").asText(), sidecar.get("name").asText());
            assertFalse(sidecar.get("name").asText().chars().anyMatch(Character::isISOControl));
            assertEquals(202, get("/api/predictions/" + id).statusCode(), "pending while it waits in the inbox");
        }
        assertEquals("../../etc/passwd.png", queued.get(0).get("name").asText());
        assertEquals("tabherebell.png", queued.get(1).get("name").asText());
        assertEquals(255, queued.get(2).get("name").asText().length());
        assertEquals("数字 ✓.png", queued.get(3).get("name").asText());
        assertFalse(queued.get(4).get("id").asText().equals(queued.get(5).get("id").asText()), "duplicates get their own ids");
        try (Stream<Path> files = Files.walk(inbox.getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().equals("passwd.png")), "names never become paths");
        }
        try (Stream<Path> files = Files.list(inbox.resolve(Inbox.INCOMING))) {
            assertEquals(0, files.count(), "nothing left behind in .incoming");
        }
    }

    @Test
    void badRequestsGetPreciseJsonErrorsAndLeaveNothingBehind() throws Exception {
        long before = inboxFiles();
        var none = send(HttpRequest.newBuilder(URI.create(base + "/api/images")).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(400, none.statusCode());
        assertTrue(JSON.readTree(none.body()).get("error").asText().contains("file"));

        var notImage = send(upload(base, List.of(Map.entry("a.png", PNG_HEAD), Map.entry("notes.txt", "hello".getBytes()))));
        assertEquals(415, notImage.statusCode());
        assertTrue(JSON.readTree(notImage.body()).get("error").asText().contains("notes.txt"));

        byte[] big = new byte[2 * 1024 * 1024];
        System.arraycopy(PNG_HEAD, 0, big, 0, PNG_HEAD.length);
        var tooLarge = send(upload(base, List.of(Map.entry("big.png", big))));
        assertEquals(413, tooLarge.statusCode());
        assertTrue(JSON.readTree(tooLarge.body()).get("error").asText().contains("1 MB"));

        assertEquals(before, inboxFiles(), "a refused request adds nothing to the inbox");
        assertEquals(404, get("/api/predictions/" + UUID.randomUUID()).statusCode());
        assertEquals(404, get("/api/predictions/not-a-uuid").statusCode());
        assertEquals(400, get("/api/predictions?limit=abc").statusCode());
        assertEquals(403, get("/assets/").statusCode(), "no directory listing");
    }

    @Test
    void scoredAndRejectedRowsAreServedAsTheSpecSays() throws Exception {
        UUID ok = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Float> probabilities = List.of(0.01f, 0.01f, 0.01f, 0.9f, 0.01f, 0.02f, 0.01f, 0.01f, 0.01f, 0.01f);
        try (var session = TestCassandra.openSession()) {
            PredictionStore store = new PredictionStore(session);
            store.save(new Prediction(ok, "three.png", Prediction.Source.upload, Prediction.Status.ok, null, 3, 0.9f,
                    probabilities, "v1", t, t.plusMillis(300)));
            store.save(new Prediction(bad, "blank.png", Prediction.Source.upload, Prediction.Status.rejected, "no_ink",
                    null, null, null, "v1", t, t.plusMillis(300)));
        }
        var scored = get("/api/predictions/" + ok);
        assertEquals(200, scored.statusCode());
        JsonNode body = JSON.readTree(scored.body());
        for (String field : List.of("id", "name", "predicted", "confidence", "probabilities", "model_version", "uploaded_at", "scored_at")) {
            assertTrue(body.has(field), field + " missing in " + body);
        }
        assertEquals(3, body.get("predicted").asInt());
        assertEquals(10, body.get("probabilities").size());
        assertEquals(t, Instant.parse(body.get("uploaded_at").asText()));
        assertTrue(body.get("uploaded_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                "fixed millisecond precision: " + body.get("uploaded_at"));

        var rejected = get("/api/predictions/" + bad);
        assertEquals(422, rejected.statusCode());
        assertEquals("rejected", JSON.readTree(rejected.body()).get("status").asText());
        assertEquals("no_ink", JSON.readTree(rejected.body()).get("reason").asText());

        JsonNode recent = JSON.readTree(get("/api/predictions?limit=500").body());
        assertTrue(recent.size() >= 2);
        for (int i = 1; i < recent.size(); i++) {
            Instant newer = Instant.parse(recent.get(i - 1).get("uploaded_at").asText());
            Instant older = Instant.parse(recent.get(i).get("uploaded_at").asText());
            assertTrue(!newer.isBefore(older), "most recent first: " + newer + " then " + older);
        }
    }

    @Test
    void healthReportsCassandraInboxAndStream() throws Exception {
        var health = get("/healthz");
        assertEquals(200, health.statusCode(), "the page works without a stream: uploads wait in the inbox");
        JsonNode body = JSON.readTree(health.body());
        assertEquals("degraded", body.get("status").asText(), health.body());
        assertEquals("absent", body.get("stream").get("state").asText(), "no stream ever ran on this inbox");
        Path otherInbox = Files.createTempDirectory("inbox");
        try (WebServer down = WebServer.start(options(otherInbox, "127.0.0.1:1", 1))) {
            var r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + down.port() + "/healthz")).build());
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("Cassandra"), r.body());
            Files.walk(otherInbox).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            var noInbox = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + down.port() + "/healthz")).build());
            assertEquals(503, noInbox.statusCode());
            assertTrue(noInbox.body().contains("inbox"), noInbox.body());
        }
    }

    @Test
    void aCorrectionIsStoredWithTheImagesInputAndShownAsItsLabel() throws Exception {
        UUID ok = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        byte[] pixels = new byte[784];
        pixels[400] = (byte) 200;
        try (var session = TestCassandra.openSession()) {
            PredictionStore store = new PredictionStore(session);
            store.save(new Prediction(ok, "seven.png", Prediction.Source.upload, Prediction.Status.ok, null, 1, 0.6f,
                    null, "v1", t, t.plusMillis(200)).withPixels(pixels));
            store.save(new Prediction(bad, "blank.png", Prediction.Source.upload, Prediction.Status.rejected, "no_ink",
                    null, null, null, "v1", t, t.plusMillis(200)));
        }
        assertFalse(JSON.readTree(get("/api/predictions/" + ok).body()).has("label"), "no label before a correction");

        var corrected = label(ok, "{\"digit\": 7, \"source\": \"page\"}");
        assertEquals(200, corrected.statusCode(), corrected.body());
        assertEquals(7, JSON.readTree(corrected.body()).get("label").asInt());
        assertEquals(7, JSON.readTree(get("/api/predictions/" + ok).body()).get("label").asInt(), "read back from Cassandra");
        JsonNode recent = JSON.readTree(get("/api/predictions?limit=500").body());
        JsonNode row = null;
        for (JsonNode r : recent) {
            if (r.get("id").asText().equals(ok.toString())) {
                row = r;
            }
        }
        assertEquals(7, row.get("label").asInt(), "the history shows it too");
        try (var session = TestCassandra.openSession()) {
            var stored = session.execute("SELECT digit, source, predicted, model_version, pixels FROM digitflow.labels WHERE image_id = " + ok).one();
            assertEquals(7, stored.getInt("digit"));
            assertEquals("page", stored.getString("source"));
            assertEquals(1, stored.getInt("predicted"));
            assertEquals("v1", stored.getString("model_version"));
            assertEquals(784, stored.getByteBuffer("pixels").remaining(), "the trainer needs no file");
            assertEquals((byte) 200, stored.getByteBuffer("pixels").get(400));
        }
        assertEquals(3, JSON.readTree(label(ok, "{\"digit\": 3}").body()).get("label").asInt(), "a later correction replaces it");

        for (String malformed : List.of("{\"digit\": 10}", "{\"digit\": -1}", "{\"digit\": \"7\"}", "{\"digit\": 7.5}",
                "{\"digit\": 4294967303}", "not json", "", "[7]", "{\"digit\": 7, \"source\": \"robot\"}")) {
            var r = label(ok, malformed);
            assertEquals(400, r.statusCode(), malformed + " → " + r.body());
            assertTrue(JSON.readTree(r.body()).get("error").asText().contains("digit") || malformed.contains("robot"), r.body());
        }
        assertEquals(413, label(ok, "{\"digit\": 7, \"pad\": \"" + "x".repeat(2000) + "\"}").statusCode());
        assertEquals(3, JSON.readTree(get("/api/predictions/" + ok).body()).get("label").asInt(), "refused bodies change nothing");

        assertEquals(404, label(UUID.randomUUID(), "{\"digit\": 7}").statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(base + "/api/predictions/not-a-uuid/label"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"digit\": 7}")).build()).statusCode());
        var rejected = label(bad, "{\"digit\": 7}");
        assertEquals(409, rejected.statusCode());
        assertTrue(rejected.body().contains("rejected"), rejected.body());

        var queued = JSON.readTree(send(upload(base, List.of(Map.entry("waiting.png", PNG_HEAD)))).body());
        var pending = label(UUID.fromString(queued.get(0).get("id").asText()), "{\"digit\": 7}");
        assertEquals(409, pending.statusCode(), "nothing to correct before it is scored");
        assertTrue(pending.body().contains("not scored yet"), pending.body());
    }

    @Test
    void metricsAreServedInPrometheusTextFormatAndCountWhatHappened() throws Exception {
        double acceptedBefore = metric(get("/metrics").body(), "digitflow_uploads_total{outcome=\"accepted\"}");
        double tooLargeBefore = metric(get("/metrics").body(), "digitflow_uploads_total{outcome=\"too_large\"}");
        assertEquals(202, send(upload(base, List.of(Map.entry("a.png", PNG_HEAD), Map.entry("b.png", PNG_HEAD)))).statusCode());
        assertEquals(413, send(upload(base, List.of(Map.entry("big.png", new byte[2 * 1024 * 1024])))).statusCode());
        var scrape = get("/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = scrape.body();
        assertEquals(acceptedBefore + 2, metric(text, "digitflow_uploads_total{outcome=\"accepted\"}"), "one per accepted file");
        assertEquals(tooLargeBefore + 1, metric(text, "digitflow_uploads_total{outcome=\"too_large\"}"));
        assertTrue(metric(text, "digitflow_http_request_duration_seconds_count{route=\"/api/images\"}") >= 2);
        assertEquals(0, metric(text, "digitflow_upload_queue_depth"), "nothing waits once every upload was answered");
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), "the JVM's own metrics");
        Path file = Files.createTempFile("web", ".prom");
        Files.writeString(file, text);
        Process check = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), "promtool check metrics: " + said);
    }

    /** A sample's value in a text-format scrape; 0 if the series is absent (a counter not yet incremented). */
    static double metric(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst().orElse(0);
    }

    private static HttpResponse<String> label(UUID id, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + id + "/label"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static long inboxFiles() throws Exception {
        try (Stream<Path> files = Files.walk(inbox)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
