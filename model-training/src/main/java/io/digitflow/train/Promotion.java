package io.digitflow.train;

import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelException;
import io.digitflow.model.ModelMetadata;
import io.digitflow.model.ModelStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a newly trained model becomes LATEST: only if it is at least as accurate as the model in
 * use, on the same test data, unless told otherwise; a quick run can then never replace a better
 * model. The in-use model is scored again where its metadata was measured on other data.
 *
 * <p>With labelled uploads held out, both count: the new model must do at least as well on those
 * uploads, and may give up at most {@value #MNIST_TOLERANCE_POINTS} points on MNIST for it (what
 * users write matters more than a fraction of a point on a benchmark).
 *
 * @param reason the line that says what happened and why
 */
record Promotion(boolean promoted, String reason) {
    static final double MNIST_TOLERANCE_POINTS = 0.2;

    static Promotion decide(ModelStore store, ModelMetadata trained, Mnist.DataSet testSet, LabelledImages uploads, boolean force,
            boolean never) {
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
        ModelStore.LoadedModel current;
        try {
            current = store.load(inUse.get());
        } catch (ModelException e) {
            return new Promotion(true, "promoted to LATEST: the model in use, " + inUse.get() + ", cannot be loaded (" + e.getMessage() + ")");
        }
        double mnistNow = Objects.equals(current.metadata().mnistSha256(), trained.mnistSha256())
                ? current.metadata().testAccuracy()
                : Evaluation.of(current.classifier(), testSet).accuracy();
        String mnist = percent(trained.testAccuracy()) + " on the MNIST test set against " + percent(mnistNow) + " of " + inUse.get();
        if (uploads.size() == 0) {
            return trained.testAccuracy() >= mnistNow
                    ? new Promotion(true, "promoted to LATEST: " + mnist)
                    : notPromoted(trained, mnist);
        }
        DigitClassifier currentClassifier = current.classifier();
        double uploadsNow = Evaluation.of(currentClassifier, uploads).accuracy();
        String both = mnist + "; " + percent(trained.uploadsAccuracy()) + " on " + uploads.size() + " held-out labelled uploads against "
                + percent(uploadsNow);
        boolean promoted = trained.uploadsAccuracy() >= uploadsNow
                && trained.testAccuracy() >= mnistNow - MNIST_TOLERANCE_POINTS / 100;
        return promoted ? new Promotion(true, "promoted to LATEST: " + both) : notPromoted(trained, both);
    }

    private static Promotion notPromoted(ModelMetadata trained, String figures) {
        return new Promotion(false, "not promoted: " + figures + "; the model in use stays LATEST; to use the new one anyway: "
                + "bin/digitflow models promote " + trained.version());
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
