package io.digitflow.pipeline.scoring;

import io.digitflow.model.DigitClassifier;

/**
 * One classifier per executor thread, rebuilt only when the model version changes:
 * {@code MultiLayerNetwork.output()} is not thread-safe, and restoring a network for every
 * micro-batch would cost more than scoring it.
 */
final class Classifiers {
    private static final ThreadLocal<DigitClassifier> CURRENT = new ThreadLocal<>();

    private Classifiers() {
    }

    static DigitClassifier forCurrentThread(ModelBundle model) {
        DigitClassifier c = CURRENT.get();
        if (c == null || !c.version().equals(model.version())) {
            c = DigitClassifier.fromBytes(model.version(), model.networkFile());
            CURRENT.set(c);
        }
        return c;
    }
}
