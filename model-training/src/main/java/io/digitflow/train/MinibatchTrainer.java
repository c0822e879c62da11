package io.digitflow.train;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fits a network on a slice of example indices, minibatch by minibatch, augmenting every image
 * when the architecture asks for it.
 * The same code runs on the single-JVM path and inside each Spark task.
 */
final class MinibatchTrainer {
    private MinibatchTrainer() {
    }

    /** @return the summed loss (minibatch loss × size) over the slice */
    static double fit(MultiLayerNetwork net, TrainingData data, int[] indices, int batchSize, boolean augment, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] image = new float[784];
        float[] distorted = new float[784];
        double lossSum = 0;
        for (int start = 0; start < indices.length; start += batchSize) {
            int n = Math.min(batchSize, indices.length - start);
            float[] features = new float[n * 784];
            float[] labels = new float[n * 10];
            for (int i = 0; i < n; i++) {
                int index = indices[start + i];
                data.image(index, image);
                if (augment) {
                    Augmenter.augment(image, distorted, rnd);
                    System.arraycopy(distorted, 0, features, i * 784, 784);
                } else {
                    System.arraycopy(image, 0, features, i * 784, 784);
                }
                labels[i * 10 + data.label(index)] = 1f;
            }
            net.fit(new DataSet(Nd4j.create(features, new long[] {n, 784}, 'c'), Nd4j.create(labels, new long[] {n, 10}, 'c')));
            lossSum += net.score() * n;
        }
        return lossSum;
    }
}
