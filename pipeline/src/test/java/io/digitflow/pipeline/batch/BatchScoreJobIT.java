package io.digitflow.pipeline.batch;

import io.digitflow.inbox.Inbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.config.Cli;
import io.digitflow.mnist.Mnist;
import io.digitflow.results.Prediction;
import io.digitflow.results.PredictionStore;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code score DIR --csv FILE} on a real local Spark and the real shared Cassandra node. */
class BatchScoreJobIT {
    @TempDir
    Path dir;
    @TempDir
    Path out;

    @Test
    void scoresAMixedNestedFolderReportsRejectsAndReplaysWithoutDuplicates() throws Exception {
        Mnist.DataSet mnist = DigitImages.mnistTest();
        Map<String, byte[]> files = new HashMap<>();
        Map<String, Integer> labels = new HashMap<>();
        String[] formats = {"png", "gif", "bmp"};
        for (int i = 0; i < 12; i++) {
            String format = formats[i % 3];
            String name = (i < 6 ? "a/" : "b/c/") + "digit, " + i + "." + format;
            files.put(name, DigitImages.encode(DigitImages.paletteImage(mnist.image(i), 56), format));
            labels.put(name, mnist.label(i));
        }
        files.put("photo.jpg", DigitImages.jpeg(DigitImages.paperPhoto(mnist.image(20), 300, 20), 0.8f));
        labels.put("photo.jpg", mnist.label(20));
        files.put("readme.txt", "hello".getBytes(StandardCharsets.UTF_8));
        byte[] png = DigitImages.encode(DigitImages.paperPhoto(mnist.image(21), 200, 21), "png");
        files.put("b/cut.png", java.util.Arrays.copyOf(png, png.length / 2));
        for (var f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        Path csv = out.resolve("report.csv");
        String models = TestModels.softmax().root().toString();

        Cli.parse(new BatchScoreJob(), dir.toString(), "--csv", csv.toString(), "--models", models).run();

        List<String> lines = Files.readAllLines(csv);
        assertEquals(CsvReport.HEADER, lines.get(0));
        assertEquals(files.size() + 1, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("readme.txt,,,") && l.endsWith(",rejected:not_an_image")),
                String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("b/cut.png,,,") && l.endsWith(",rejected:truncated")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("\"a/digit, 0.png\",")), "names with commas are quoted");

        try (CqlSession session = TestCassandra.openSession()) {
            PredictionStore store = new PredictionStore(session);
            int correct = 0;
            for (var e : labels.entrySet()) {
                Prediction p = store.find(Inbox.derivedId(e.getKey(), files.get(e.getKey()))).orElseThrow();
                assertEquals(Prediction.Source.batch, p.source());
                assertEquals(e.getKey(), p.imageName());
                if (p.predicted().equals(e.getValue())) {
                    correct++;
                }
            }
            assertTrue(correct >= 10, "most of 13 digits must be recognised: " + correct);

            // Scoring the same folder again overwrites: still one recent row per image.
            Cli.parse(new BatchScoreJob(), dir.toString(), "--models", models).run();
            Map<java.util.UUID, Integer> copies = new HashMap<>();
            for (Prediction p : store.recent(100_000)) {
                copies.merge(p.imageId(), 1, Integer::sum);
            }
            for (var f : files.entrySet()) {
                assertEquals(1, copies.getOrDefault(Inbox.derivedId(f.getKey(), f.getValue()), 0), f.getKey());
            }
        }
    }
}
