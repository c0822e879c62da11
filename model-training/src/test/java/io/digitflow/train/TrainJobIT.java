package io.digitflow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitflow.config.Cli;
import io.digitflow.model.ModelMetadata;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
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
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(extra));
        for (int i = 0; i < base.length; i += 2) {
            if (!args.contains(base[i])) { // an option given in extra replaces the base one
                args.add(base[i]);
                args.add(base[i + 1]);
            }
        }
        Cli.parse(new TrainJob(), args.toArray(String[]::new)).run();
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
    void aLessAccurateModelIsNotPromotedUnlessAskedAndRollbackReturnsToTheBetterOne() throws Exception {
        ModelStore store = new ModelStore(models);
        train("--local", "--architecture", "softmax");
        String good = store.latestVersion().orElseThrow();
        train("--local", "--architecture", "softmax", "--limit", "200");
        String worse = store.versions().get(1);
        assertTrue(store.metadata(worse).testAccuracy() < store.metadata(good).testAccuracy(), "200 images must do worse than 4,000");
        assertEquals(good, store.latestVersion().orElseThrow(), "a less accurate model must not replace the one in use");

        train("--local", "--architecture", "softmax", "--limit", "300", "--promote");
        String forced = store.versions().get(2);
        assertEquals(forced, store.latestVersion().orElseThrow(), "--promote makes it LATEST anyway");
        train("--local", "--architecture", "softmax", "--limit", "4000", "--seed", "8", "--no-promote");
        assertEquals(forced, store.latestVersion().orElseThrow(), "--no-promote never promotes");

        StringWriter out = new StringWriter();
        CommandLine models = Cli.commandLine(new ModelsCommand());
        models.setOut(new PrintWriter(out));
        assertEquals(0, models.execute("rollback", "--models", this.models.toString()));
        assertEquals(good, store.latestVersion().orElseThrow(), "rollback returns to the version LATEST named before");

        ModelMetadata m = store.metadata(good);
        assertEquals(4000, ((Number) m.parameters().get("limit")).intValue());
        assertEquals("softmax", m.parameters().get("architecture"));
        assertEquals(m.mnistSha256(), m.dataSha256().get("mnist"));
        assertTrue(m.gitCommit() != null && !m.gitCommit().isBlank(), "the code's commit is recorded");
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
