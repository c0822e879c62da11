package io.digitflow.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Trains the network on one round's examples: one slice per worker. The single-JVM runner fits
 * the slices one after another; the Spark runner fits them in parallel and averages.
 */
interface RoundRunner extends AutoCloseable {
    /** @return the summed loss over all examples of the round */
    double run(MultiLayerNetwork net, int[][] slices, long roundSeed);

    int workers();

    /** Where training ran, for the model's metadata: "local" or the Spark master actually in use. */
    String mode();

    String describe();

    @Override
    default void close() {
    }
}
