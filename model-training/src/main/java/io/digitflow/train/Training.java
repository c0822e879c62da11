package io.digitflow.train;

import io.digitflow.model.ModelMetadata;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The epoch/round loop shared by both runners: shuffle each epoch with the seed, hand each round's
 * examples to the runner, score the validation split after every round, print one progress line,
 * and keep the parameters that scored best on validation (model selection never sees the test set).
 */
final class Training {
    record Result(MultiLayerNetwork network, double validationAccuracy, double seconds, List<ModelMetadata.Round> history) {
    }

    private Training() {
    }

    static Result run(TrainOptions options, TrainingData data, RoundRunner runner, PrintStream progress) {
        MultiLayerNetwork net = new MultiLayerNetwork(options.architecture().configuration(options.seed()));
        net.init();
        int perRound = options.roundExamples() * runner.workers();
        int roundsPerEpoch = (data.trainSize() + perRound - 1) / perRound;
        int totalRounds = roundsPerEpoch * options.epochs();
        long start = System.nanoTime();
        long examples = 0;
        double bestAccuracy = -1;
        INDArray bestParameters = null;
        List<ModelMetadata.Round> history = new ArrayList<>();

        int done = 0;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            int[] order = shuffled(data.trainIndices(), options.seed() * 31 + epoch);
            for (int round = 1; round <= roundsPerEpoch; round++) {
                int from = (round - 1) * perRound;
                int to = Math.min(order.length, from + perRound);
                int[][] slices = slices(order, from, to, runner.workers());
                long roundStart = System.nanoTime();
                double loss = runner.run(net, slices, options.seed() * 1_000_003L + epoch * 10_007L + round) / (to - from);
                double roundSeconds = (System.nanoTime() - roundStart) / 1e9;
                examples += to - from;
                double accuracy = validationAccuracy(net, data);
                if (accuracy > bestAccuracy) {
                    bestAccuracy = accuracy;
                    bestParameters = net.params().dup();
                }
                done++;
                double elapsed = (System.nanoTime() - start) / 1e9;
                double eta = elapsed / done * (totalRounds - done);
                progress.printf("epoch %d/%d round %2d/%d | %,6.0f examples/s | loss %.4f | validation %.2f%% | ETA %s%n",
                        epoch, options.epochs(), round, roundsPerEpoch, (to - from) / roundSeconds, loss, 100 * accuracy,
                        duration(eta));
                history.add(new ModelMetadata.Round(epoch, round, examples, elapsed, loss, accuracy));
            }
            net.incrementEpochCount();
        }
        net.setParams(bestParameters);
        return new Result(net, bestAccuracy, (System.nanoTime() - start) / 1e9, history);
    }

    /** Splits order[from, to) into {@code k} nearly equal slices, one per worker. */
    static int[][] slices(int[] order, int from, int to, int k) {
        int[][] slices = new int[k][];
        int n = to - from;
        for (int i = 0; i < k; i++) {
            slices[i] = Arrays.copyOfRange(order, from + (int) ((long) n * i / k), from + (int) ((long) n * (i + 1) / k));
        }
        return slices;
    }

    static double validationAccuracy(MultiLayerNetwork net, TrainingData data) {
        int[] indices = data.validationIndices();
        int correct = 0;
        int batch = 1000;
        float[] image = new float[784];
        for (int start = 0; start < indices.length; start += batch) {
            int n = Math.min(batch, indices.length - start);
            float[] features = new float[n * 784];
            for (int i = 0; i < n; i++) {
                data.image(indices[start + i], image);
                System.arraycopy(image, 0, features, i * 784, 784);
            }
            INDArray predicted = net.output(Nd4j.create(features, new long[] {n, 784}, 'c'), false).argMax(1);
            for (int i = 0; i < n; i++) {
                if (predicted.getInt(i) == data.label(indices[start + i])) {
                    correct++;
                }
            }
        }
        return (double) correct / indices.length;
    }

    private static int[] shuffled(int[] values, long seed) {
        int[] p = TrainingData.permutation(values.length, new SplittableRandom(seed));
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[p[i]];
        }
        return out;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
