package io.digitflow.bench;

import io.digitflow.model.Architecture;
import io.digitflow.model.LayerHelpers;
import io.digitflow.model.NativeThreads;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step of the default {@code cnn} (batch 64, one native thread, as each Spark training
 * task runs), three ways in one JVM, alternately: DL4J's own path; the same with DL4J's forward
 * cache (no second forward pass in the backward one); and the network as training prepares it
 * ({@link LayerHelpers#installForTraining}: the cache and the fast convolution helper). A
 * profile of training put ~60% of DL4J's step in im2col into a permuted view.
 *
 * <pre>TrainingStepBenchmark [ROUNDS] [STEPS]</pre> prints examples/s per round and the medians.
 */
public final class TrainingStepBenchmark {
    private static final int BATCH = 64;

    private TrainingStepBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        NativeThreads.limitTo(1);
        MultiLayerNetwork dl4j = new MultiLayerNetwork(Architecture.CNN.configuration(42, 8));
        dl4j.init();
        MultiLayerNetwork cached = dl4j.clone();
        LayerHelpers.useForwardCache(cached);
        MultiLayerNetwork prepared = dl4j.clone();
        LayerHelpers.installForTraining(prepared);
        MultiLayerNetwork[] nets = {dl4j, cached, prepared};
        String[] names = {"DL4J's path", "with the forward cache", "prepared for training"};
        DataSet[] batches = batches(16, new SplittableRandom(1));
        for (int step = 0; step < 20; step++) { // warm-up: JIT, workspaces
            for (MultiLayerNetwork net : nets) {
                net.fit(batches[step % batches.length]);
            }
        }
        double[][] rates = new double[nets.length][rounds];
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int k = 0; k < nets.length; k++) {
                rates[k][round - 1] = examplesPerSecond(nets[k], batches, steps);
                line.append(String.format(" %s %.0f examples/s;", names[k], rates[k][round - 1]));
            }
            System.out.println(line);
        }
        double baseline = Median.of(rates[0]);
        StringBuilder summary = new StringBuilder("training step, median:");
        for (int k = 0; k < nets.length; k++) {
            summary.append(String.format(" %s %.0f examples/s (%.2fx);", names[k], Median.of(rates[k]), Median.of(rates[k]) / baseline));
        }
        System.out.println(summary);
    }

    private static double examplesPerSecond(MultiLayerNetwork net, DataSet[] batches, int steps) {
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            net.fit(batches[step % batches.length]);
        }
        return (double) steps * BATCH / ((System.nanoTime() - start) / 1e9);
    }

    /** Sparse random strokes (~20% ink) and random labels: the cost of a step does not depend on the digits. */
    private static DataSet[] batches(int count, SplittableRandom random) {
        DataSet[] batches = new DataSet[count];
        for (int i = 0; i < count; i++) {
            float[] images = new float[BATCH * 784];
            for (int p = 0; p < images.length; p++) {
                images[p] = random.nextDouble() < 0.2 ? (float) random.nextDouble() : 0f;
            }
            float[] labels = new float[BATCH * 10];
            for (int e = 0; e < BATCH; e++) {
                labels[e * 10 + random.nextInt(10)] = 1f;
            }
            batches[i] = new DataSet(Nd4j.create(images, new long[] {BATCH, 784}, 'c'), Nd4j.create(labels, new long[] {BATCH, 10}, 'c'));
        }
        return batches;
    }
}
