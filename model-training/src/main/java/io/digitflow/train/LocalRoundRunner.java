package io.digitflow.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** {@code --local}: one JVM, one network, the slices in sequence — the baseline for the speed-up. */
final class LocalRoundRunner implements RoundRunner {
    private final TrainingData data;
    private final int batchSize;
    private final boolean augment;

    LocalRoundRunner(TrainingData data, int batchSize, boolean augment) {
        this.data = data;
        this.batchSize = batchSize;
        this.augment = augment;
    }

    @Override
    public double run(MultiLayerNetwork net, int[][] slices, long roundSeed) {
        double loss = 0;
        for (int k = 0; k < slices.length; k++) {
            loss += MinibatchTrainer.fit(net, data, slices[k], batchSize, augment, roundSeed + k);
        }
        return loss;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public String mode() {
        return "local";
    }

    @Override
    public String describe() {
        return "single JVM (--local)";
    }
}
