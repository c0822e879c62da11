package io.digitflow.train;

import io.digitflow.mnist.Mnist;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The 60,000 MNIST training images split once, with the seed, into a training part and a
 * validation part used for model selection, and optionally the labelled uploads' training and
 * selection parts ({@link Feedback}) after them. The 10,000 test images and the uploads' held-out
 * part are never touched here. Serializable so Spark can broadcast it: 47 MB of pixels as bytes.
 */
final class TrainingData implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] pixels; // all 60,000 images, 784 bytes each
    private final byte[] labels;
    private final int[] trainIndices;
    private final int[] validationIndices;
    private final int[] feedbackValidationIndices;

    private TrainingData(byte[] pixels, byte[] labels, int[] trainIndices, int[] validationIndices,
            int[] feedbackValidationIndices) {
        this.pixels = pixels;
        this.labels = labels;
        this.trainIndices = trainIndices;
        this.validationIndices = validationIndices;
        this.feedbackValidationIndices = feedbackValidationIndices;
    }

    /**
     * These images plus the uploads' training part, each upload {@code weight} times per epoch
     * (a few hundred corrections would otherwise be lost among 55,000 MNIST images), and the
     * uploads' selection part for {@link #feedbackValidation()}.
     */
    TrainingData withFeedback(Feedback feedback, int weight) {
        if (feedback.isEmpty()) {
            return this;
        }
        List<Feedback.Example> train = feedback.train();
        List<Feedback.Example> selection = feedback.selection();
        int base = labels.length;
        int added = train.size() + selection.size();
        byte[] allPixels = java.util.Arrays.copyOf(pixels, pixels.length + added * 784);
        byte[] allLabels = java.util.Arrays.copyOf(labels, base + added);
        int at = base;
        for (Feedback.Example e : concat(train, selection)) {
            System.arraycopy(e.pixels(), 0, allPixels, at * 784, 784);
            allLabels[at++] = (byte) e.digit();
        }
        int[] allTrain = java.util.Arrays.copyOf(trainIndices, trainIndices.length + train.size() * weight);
        for (int r = 0; r < weight; r++) {
            for (int i = 0; i < train.size(); i++) {
                allTrain[trainIndices.length + r * train.size() + i] = base + i;
            }
        }
        int[] feedbackValidation = new int[selection.size()];
        for (int i = 0; i < selection.size(); i++) {
            feedbackValidation[i] = base + train.size() + i;
        }
        return new TrainingData(allPixels, allLabels, allTrain, validationIndices, feedbackValidation);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * @param limit      use only this many training images (after the split; for tests and quick runs), 0 = all
     */
    static TrainingData split(Mnist.DataSet train, int validationSize, int limit, long seed) {
        int n = train.size();
        int[] order = permutation(n, new SplittableRandom(seed));
        int[] validation = java.util.Arrays.copyOfRange(order, 0, validationSize);
        int trainCount = limit > 0 ? Math.min(limit, n - validationSize) : n - validationSize;
        int[] training = java.util.Arrays.copyOfRange(order, validationSize, validationSize + trainCount);
        return new TrainingData(train.images().pixels(), train.labels(), training, validation, new int[0]);
    }

    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    int trainSize() {
        return trainIndices.length;
    }

    int[] trainIndices() {
        return trainIndices;
    }

    int[] validationIndices() {
        return validationIndices;
    }

    int label(int index) {
        return labels[index];
    }

    /** The MNIST validation images with their labels. */
    LabelledImages validation() {
        return images(validationIndices);
    }

    /** The uploads' selection part (empty without feedback). */
    LabelledImages feedbackValidation() {
        return images(feedbackValidationIndices);
    }

    private LabelledImages images(int[] indices) {
        return new LabelledImages() {
            @Override
            public int size() {
                return indices.length;
            }

            @Override
            public void image(int i, float[] out) {
                TrainingData.this.image(indices[i], out);
            }

            @Override
            public int label(int i) {
                return TrainingData.this.label(indices[i]);
            }
        };
    }

    /** Image {@code index} as byte/255 into {@code out}. */
    void image(int index, float[] out) {
        int base = index * 784;
        for (int i = 0; i < 784; i++) {
            out[i] = (pixels[base + i] & 0xFF) / 255f;
        }
    }
}
