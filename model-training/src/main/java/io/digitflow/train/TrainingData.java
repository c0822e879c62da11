package io.digitflow.train;

import io.digitflow.mnist.Mnist;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The 60,000 MNIST training images split once, with the seed, into a training part and a
 * validation part used for model selection. The 10,000 test images are never touched here.
 * Serializable so Spark can broadcast it: 47 MB of pixels as bytes, not floats.
 */
final class TrainingData implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] pixels; // all 60,000 images, 784 bytes each
    private final byte[] labels;
    private final int[] trainIndices;
    private final int[] validationIndices;

    private TrainingData(byte[] pixels, byte[] labels, int[] trainIndices, int[] validationIndices) {
        this.pixels = pixels;
        this.labels = labels;
        this.trainIndices = trainIndices;
        this.validationIndices = validationIndices;
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
        return new TrainingData(train.images().pixels(), train.labels(), training, validation);
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

    /** The validation images with their labels. */
    LabelledImages validation() {
        return new LabelledImages() {
            @Override
            public int size() {
                return validationIndices.length;
            }

            @Override
            public void image(int i, float[] out) {
                TrainingData.this.image(validationIndices[i], out);
            }

            @Override
            public int label(int i) {
                return TrainingData.this.label(validationIndices[i]);
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
