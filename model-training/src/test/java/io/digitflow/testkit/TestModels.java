package io.digitflow.testkit;

import io.digitflow.config.Cli;
import io.digitflow.model.ModelStore;
import io.digitflow.train.TrainJob;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real trained models for other modules' tests, trained by the real training job once per test
 * run and cached under {@code var/test-cache/} (which {@code bin/digitflow test} starts empty).
 */
public final class TestModels {
    private TestModels() {
    }

    /**
     * A model store holding a softmax-regression model trained on all 55,000 training images for
     * one epoch in this JVM (~10 s, ~91% on the test set: right on most clean digits).
     */
    public static synchronized ModelStore softmax() {
        Path store = TestHome.root().resolve("var/test-cache/models-softmax");
        if (!Files.exists(store.resolve(ModelStore.LATEST))) {
            Cli.parse(new TrainJob(), "--local", "--architecture", "softmax", "--epochs", "1", "--seed", "11",
                    "--models", store.toString()).run();
        }
        return new ModelStore(store);
    }

    /**
     * A model store holding a small CNN: one epoch over 6,000 training images on local Spark (under a minute,
     * ~91% on the test set), for tests that need the real architecture but not its best accuracy.
     */
    public static synchronized ModelStore cnn() {
        Path store = TestHome.root().resolve("var/test-cache/models-cnn");
        if (!Files.exists(store.resolve(ModelStore.LATEST))) {
            Cli.parse(new TrainJob(), "--architecture", "cnn", "--epochs", "1", "--limit", "6000", "--seed", "11",
                    "--models", store.toString()).run();
        }
        return new ModelStore(store);
    }

    /** Trains another softmax version into {@code store} (a different seed) and makes it LATEST. */
    public static String publishAnotherVersion(ModelStore store, int seed) {
        Cli.parse(new TrainJob(), "--local", "--architecture", "softmax", "--epochs", "1", "--limit", "5000",
                "--seed", Integer.toString(seed), "--models", store.root().toString()).run();
        return store.latestVersion().orElseThrow();
    }
}
