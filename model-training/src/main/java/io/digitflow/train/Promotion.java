package io.digitflow.train;

import io.digitflow.mnist.Mnist;
import io.digitflow.model.ModelException;
import io.digitflow.model.ModelMetadata;
import io.digitflow.model.ModelStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a newly trained model becomes LATEST: only if it is at least as accurate as the model in
 * use, on the same test data (the in-use model is scored again when its metadata was measured on
 * other MNIST files), unless told otherwise. A quick run can then never replace a better model.
 *
 * @param reason the line that says what happened and why
 */
record Promotion(boolean promoted, String reason) {

    static Promotion decide(ModelStore store, ModelMetadata trained, Mnist.DataSet testSet, boolean force, boolean never) {
        String accuracy = percent(trained.testAccuracy());
        if (never) {
            return new Promotion(false, "not promoted (--no-promote): LATEST is unchanged; promote it with `bin/digitflow models promote "
                    + trained.version() + "`");
        }
        if (force) {
            return new Promotion(true, "promoted to LATEST (--promote)");
        }
        Optional<String> inUse = store.latestVersion();
        if (inUse.isEmpty()) {
            return new Promotion(true, "promoted to LATEST: the store had no model");
        }
        double current;
        try {
            current = inUseAccuracy(store, inUse.get(), trained.mnistSha256(), testSet);
        } catch (ModelException e) {
            return new Promotion(true, "promoted to LATEST: the model in use, " + inUse.get() + ", cannot be loaded (" + e.getMessage() + ")");
        }
        if (trained.testAccuracy() >= current) {
            return new Promotion(true, "promoted to LATEST: " + accuracy + " on the MNIST test set, at least the "
                    + percent(current) + " of " + inUse.get());
        }
        return new Promotion(false, "not promoted: " + accuracy + " on the MNIST test set is below the " + percent(current) + " of "
                + inUse.get() + ", which stays LATEST; to use it anyway: bin/digitflow models promote " + trained.version());
    }

    /** The in-use model's accuracy on this test set: from its metadata if measured on the same files, else measured now. */
    private static double inUseAccuracy(ModelStore store, String version, String testDataSha, Mnist.DataSet testSet) {
        ModelMetadata meta = store.metadata(version);
        if (Objects.equals(meta.mnistSha256(), testDataSha)) {
            return meta.testAccuracy();
        }
        return Evaluation.of(store.load(version).classifier(), testSet).accuracy();
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
