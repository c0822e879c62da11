package io.digitflow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitflow.config.Cli;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.ModelStore;
import io.digitflow.testkit.TestHome;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real training job on a real local Spark, on a subset so it takes seconds. */
class TrainJobIT {
    @TempDir
    Path models;

    private void train(String... extra) {
        String[] base = {"--models", models.toString(), "--limit", "4000", "--validation", "1000", "--epochs", "1",
                "--round-examples", "1000", "--seed", "7"};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        Cli.parse(new TrainJob(), args).run();
    }

    @Test
    void distributedTrainingOnASubsetBeatsChanceWidelyAndPublishes() throws Exception {
        train("--master", "local[2]", "--workers", "2");

        ModelStore store = new ModelStore(models);
        ModelStore.LoadedModel model = store.loadLatest();
        assertEquals("cnn", model.metadata().architecture());
        assertEquals(2, model.metadata().workers());
        assertFalse(model.metadata().history().isEmpty(), "one history entry per round");

        // Re-score the 10,000 held-out test images independently of what the job recorded.
        Evaluation test = Evaluation.of(model.classifier(), Mnist.under(TestHome.root()).load(Mnist.Split.TEST));
        assertTrue(test.accuracy() > 0.85, "4,000 images and one epoch must reach far beyond chance (10%): " + test.accuracy());
        assertEquals(model.metadata().testAccuracy(), test.accuracy(), 1e-9, "metadata must record the real test accuracy");

        JsonNode json = new ObjectMapper().readTree(test.toJson());
        assertEquals(model.version(), json.get("model_version").asText());
        assertEquals(10, json.get("per_class").size());
        int total = 0;
        for (JsonNode row : json.get("confusion")) {
            assertEquals(10, row.size());
            for (JsonNode cell : row) {
                total += cell.asInt();
            }
        }
        assertEquals(10_000, total);
    }

    @Test
    void sameSeedSameModel() throws Exception {
        train("--local", "--architecture", "softmax");
        train("--local", "--architecture", "softmax");
        ModelStore store = new ModelStore(models);
        var versions = store.versions();
        assertEquals(2, versions.size());
        float[] input = Mnist.under(TestHome.root()).load(Mnist.Split.TEST).normalized(0);
        assertArrayEquals(store.load(versions.get(0)).classifier().probabilities(input, 1)[0],
                store.load(versions.get(1)).classifier().probabilities(input, 1)[0], 0f);
    }
}
