package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitflow.config.Cli;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelStore;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.ModuleProcess;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import io.digitflow.testkit.TestModels;
import io.digitflow.train.TrainJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The system learns from its users, end to end: digits written in a style the model gets wrong go
 * through the page's API and the real stream, people correct them through the API, the real trainer
 * (Spark, data-parallel) reads the corrections from Cassandra and trains from the model in use, and
 * the new model reads that style far better on digits it never saw, while MNIST holds.
 *
 * <p>The style: digits written a quarter turn sideways (a tablet held in landscape), rendered from
 * MNIST test digits. Those corrected and those measured are disjoint.
 */
class FeedbackLearningIT {
    static final int CORRECTED = 200;
    /** Held-out digits of the style, never uploaded: MNIST test digits from here on. */
    static final int HELD_OUT_FROM = 5000;
    static final int HELD_OUT = 1000;
    /** What one feedback training must add on the held-out digits of the style. */
    static final double REQUIRED_GAIN = 0.20;
    /** How much MNIST accuracy the new model may give up. */
    static final double MNIST_TOLERANCE = 0.01;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void correctionsOfAStyleTheModelGetsWrongTeachItThatStyle() throws Exception {
        Path work = TestHome.root().resolve("web-ingest/target/feedback-it/" + UUID.randomUUID());
        Path models = copy(TestModels.cnn().root(), work.resolve("models"));
        ModelStore store = new ModelStore(models);
        String before = store.latestVersion().orElseThrow();
        Mnist.DataSet mnist = DigitImages.mnistTest();
        String cassandra = TestCassandra.settings().cassandraSpec();

        Map<UUID, Integer> truth = new LinkedHashMap<>();
        Map<UUID, Integer> predicted = new LinkedHashMap<>();
        try (StreamUnderTest stream = StreamUnderTest.start(work, models, cassandra);
                WebServer server = WebServer.start(WebServerIT.options(stream.inbox(), cassandra, 10))) {
            String base = "http://127.0.0.1:" + server.port();
            stream.awaitWatching(Duration.ofSeconds(180));
            for (int from = 0; from < CORRECTED; from += 20) {
                List<Map.Entry<String, byte[]>> files = new ArrayList<>();
                for (int i = from; i < from + 20; i++) {
                    files.add(Map.entry("sideways-" + i + ".png", DigitImages.encode(DigitImages.canvasDrawing(sideways(mnist.image(i)), 280), "png")));
                }
                HttpResponse<String> accepted = HTTP.send(WebServerIT.upload(base, files), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, accepted.statusCode(), accepted.body());
                JsonNode items = JSON.readTree(accepted.body());
                for (int k = 0; k < items.size(); k++) {
                    truth.put(UUID.fromString(items.get(k).get("id").asText()), mnist.label(from + k));
                }
            }
            for (UUID id : truth.keySet()) {
                predicted.put(id, awaitScored(base, id).get("predicted").asInt());
            }
            for (var e : truth.entrySet()) {
                HttpResponse<String> labelled = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + e.getKey() + "/label"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"digit\": " + e.getValue() + "}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, labelled.statusCode(), labelled.body());
            }
        }
        long rightAsScored = truth.keySet().stream().filter(id -> truth.get(id).equals(predicted.get(id))).count();
        System.out.printf("feedback: the stream read %d of %d sideways digits right with %s%n", rightAsScored, CORRECTED, before);

        // The live accuracy `models list` shows for the model in use is what the stream answered.
        ModuleProcess list = ModuleProcess.start("model-training", "io.digitflow.train.ModelsCommand", Map.of("DIGITFLOW_CASSANDRA", cassandra),
                work.resolve("models-list.log"), "list", "--models", models.toString());
        assertEquals(0, list.waitFor(Duration.ofSeconds(120)), list.logText());
        Matcher live = Pattern.compile(Pattern.quote(before) + ".*?(\\d+\\.\\d\\d)% \\((\\d+)\\)").matcher(list.logText());
        assertTrue(live.find(), "models list shows the live accuracy of " + before + ":\n" + list.logText());
        assertEquals(CORRECTED, Integer.parseInt(live.group(2)), "every correction counts for the model that was corrected");
        assertEquals(100.0 * rightAsScored / CORRECTED, Double.parseDouble(live.group(1)), 0.005);

        long start = System.nanoTime();
        Cli.parse(new TrainJob(), "--architecture", "cnn", "--epochs", "1", "--limit", "6000", "--seed", "5",
                "--feedback", "--feedback-weight", "20", "--init-from", "LATEST", "--promote", "--models", models.toString()).run();
        System.out.printf("feedback: one training from %s with the corrections took %d s%n", before, (System.nanoTime() - start) / 1_000_000_000);
        String after = store.latestVersion().orElseThrow();
        assertNotEquals(before, after, "the feedback training published a new model");
        assertEquals(true, store.metadata(after).parameters().get("feedback"));

        DigitClassifier old = store.load(before).classifier();
        DigitClassifier trained = store.load(after).classifier();
        float[][] heldOut = new float[HELD_OUT][];
        int[] heldOutLabels = new int[HELD_OUT];
        for (int i = 0; i < HELD_OUT; i++) {
            byte[] file = DigitImages.encode(DigitImages.canvasDrawing(sideways(mnist.image(HELD_OUT_FROM + i)), 280), "png");
            heldOut[i] = Preprocessor.preprocess(file).pixels();
            heldOutLabels[i] = mnist.label(HELD_OUT_FROM + i);
        }
        double styleBefore = accuracy(old, heldOut, heldOutLabels);
        double styleAfter = accuracy(trained, heldOut, heldOutLabels);
        double mnistBefore = mnistAccuracy(old, mnist);
        double mnistAfter = mnistAccuracy(trained, mnist);
        System.out.printf("feedback: held-out sideways digits %.1f%% → %.1f%%; MNIST test %.2f%% → %.2f%%%n",
                100 * styleBefore, 100 * styleAfter, 100 * mnistBefore, 100 * mnistAfter);
        assertTrue(styleAfter - styleBefore >= REQUIRED_GAIN, String.format(
                "the style's held-out accuracy rose by %.1f points, not the required %.0f", 100 * (styleAfter - styleBefore), 100 * REQUIRED_GAIN));
        assertTrue(mnistAfter >= mnistBefore - MNIST_TOLERANCE, String.format("MNIST fell from %.2f%% to %.2f%%", 100 * mnistBefore, 100 * mnistAfter));
    }

    /** The digit a quarter turn clockwise: the style MNIST never shows. */
    static byte[] sideways(byte[] digit) {
        byte[] out = new byte[784];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                out[y * 28 + x] = digit[(27 - x) * 28 + y];
            }
        }
        return out;
    }

    private static JsonNode awaitScored(String base, UUID id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body());
            }
            assertEquals(202, r.statusCode(), "while waiting for " + id + ": " + r.body());
            assertTrue(System.nanoTime() < deadline, id + " was not scored within 120 s");
            Thread.sleep(100);
        }
    }

    /** In slices of 500: a CNN's activations for thousands of images at once would not fit the heap. */
    private static double accuracy(DigitClassifier classifier, float[][] images, int[] labels) {
        int right = 0;
        for (int from = 0; from < labels.length; from += 500) {
            float[][] p = classifier.probabilities(java.util.Arrays.copyOfRange(images, from, Math.min(labels.length, from + 500)));
            for (int i = 0; i < p.length; i++) {
                right += DigitClassifier.argmax(p[i]) == labels[from + i] ? 1 : 0;
            }
        }
        return (double) right / labels.length;
    }

    private static double mnistAccuracy(DigitClassifier classifier, Mnist.DataSet mnist) {
        float[][] images = new float[mnist.size()][];
        int[] labels = new int[mnist.size()];
        for (int i = 0; i < mnist.size(); i++) {
            images[i] = mnist.normalized(i);
            labels[i] = mnist.label(i);
        }
        return accuracy(classifier, images, labels);
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        return to;
    }
}
