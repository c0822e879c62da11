package io.digitflow.train;

import io.digitflow.model.DigitClassifier;
import io.digitflow.model.LayerHelpers;
import io.digitflow.model.ModelMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The epoch/round loop shared by both runners: shuffle each epoch with the seed, hand each round's
 * examples to the runner, score the validation split after every round, and keep the parameters
 * that scored best on validation (model selection never sees the test set). One round at a time,
 * so a benchmark can interleave two trainings and expose both to the same machine noise.
 */
final class Training {
    record Result(MultiLayerNetwork network, double validationAccuracy, double seconds, String mode,
            List<ModelMetadata.Round> history) {
    }

    /** What one round did; {@link #line()} is the progress line. */
    record RoundReport(int epoch, int epochs, int round, int roundsPerEpoch, int examples, double trainSeconds,
            double loss, double validationAccuracy, double etaSeconds) {
        String line() {
            return String.format("epoch %d/%d round %2d/%d | %,6.0f examples/s | loss %.4f | validation %.2f%% | ETA %s",
                    epoch, epochs, round, roundsPerEpoch, examples / trainSeconds, loss, 100 * validationAccuracy,
                    duration(etaSeconds));
        }
    }

    private final TrainOptions options;
    private final TrainingData data;
    private final RoundRunner runner;
    private final MultiLayerNetwork net;
    private final int perRound;
    private final int roundsPerEpoch;
    private final long start = System.nanoTime();
    private final List<ModelMetadata.Round> history = new ArrayList<>();
    private int epoch = 1;
    private int round;
    private int[] order;
    private long examples;
    private double bestAccuracy = -1;
    private INDArray bestParameters;

    Training(TrainOptions options, TrainingData data, RoundRunner runner) {
        this(options, data, runner, freshNetwork(options));
    }

    /** @param net where training starts: a fresh network, or a published model to improve (--init-from) */
    Training(TrainOptions options, TrainingData data, RoundRunner runner, MultiLayerNetwork net) {
        this.options = options;
        this.data = data;
        this.runner = runner;
        this.net = net;
        LayerHelpers.installForTraining(net); // --local trains this network itself; Spark's tasks ready their own
        this.perRound = options.roundExamples() * runner.workers();
        this.roundsPerEpoch = (data.trainSize() + perRound - 1) / perRound;
        this.order = shuffled(data.trainIndices(), options.seed() * 31 + epoch);
    }

    static MultiLayerNetwork freshNetwork(TrainOptions options) {
        MultiLayerNetwork net = new MultiLayerNetwork(options.architecture().configuration(options.seed(), options.epochs()));
        net.init();
        return net;
    }

    static Result run(TrainOptions options, TrainingData data, RoundRunner runner, MultiLayerNetwork start, Consumer<String> progress) {
        Training training = new Training(options, data, runner, start);
        while (training.hasNextRound()) {
            progress.accept(training.nextRound().line());
        }
        return training.finish();
    }

    boolean hasNextRound() {
        return epoch <= options.epochs();
    }

    /** The share of all rounds done, from 0 to 1. */
    double progress() {
        return (double) history.size() / (roundsPerEpoch * options.epochs());
    }

    RoundReport nextRound() {
        round++;
        int from = (round - 1) * perRound;
        int to = Math.min(order.length, from + perRound);
        long roundStart = System.nanoTime();
        double loss = runner.run(net, slices(order, from, to, runner.workers()),
                options.seed() * 1_000_003L + epoch * 10_007L + round) / (to - from);
        double trainSeconds = (System.nanoTime() - roundStart) / 1e9;
        examples += to - from;
        double accuracy = validationAccuracy(net, data);
        if (accuracy > bestAccuracy) {
            bestAccuracy = accuracy;
            bestParameters = net.params().dup();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        history.add(new ModelMetadata.Round(epoch, round, examples, elapsed, loss, accuracy));
        int totalRounds = roundsPerEpoch * options.epochs();
        RoundReport report = new RoundReport(epoch, options.epochs(), round, roundsPerEpoch, to - from, trainSeconds, loss,
                accuracy, elapsed / history.size() * (totalRounds - history.size()));
        if (round == roundsPerEpoch) {
            net.incrementEpochCount();
            epoch++;
            round = 0;
            order = shuffled(data.trainIndices(), options.seed() * 31 + epoch);
        }
        return report;
    }

    /** The network with the parameters that scored best on validation. */
    Result finish() {
        net.setParams(bestParameters);
        return new Result(net, bestAccuracy, (System.nanoTime() - start) / 1e9, runner.mode(), history);
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

    /**
     * Validation goes through the same scoring path as the test set and the pipeline: the network's
     * inference form ({@link DigitClassifier#inferenceOf}), here one copy per core. With labelled
     * uploads, MNIST and the uploads' selection part count half each: a few dozen uploads would
     * otherwise weigh nothing beside 5,000 MNIST images.
     */
    static double validationAccuracy(MultiLayerNetwork net, TrainingData data) {
        List<DigitClassifier> classifiers = new ArrayList<>();
        for (int k = 0; k < Runtime.getRuntime().availableProcessors(); k++) {
            classifiers.add(DigitClassifier.inferenceOf("validation", net));
        }
        double mnist = Evaluation.of(classifiers, data.validation()).accuracy();
        LabelledImages uploads = data.feedbackValidation();
        return uploads.size() == 0 ? mnist : (mnist + Evaluation.of(classifiers.get(0), uploads).accuracy()) / 2;
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
