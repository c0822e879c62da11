package io.digitflow.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.adapters.OutputAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One copy of a trained network that turns preprocessed images into the ten class probabilities.
 * NOT thread-safe ({@code MultiLayerNetwork.output()} keeps per-call state): build one per thread
 * from the same network bytes, e.g. one per Spark task from the broadcast model.
 */
public final class DigitClassifier {
    public static final int INPUTS = 784;
    public static final int CLASSES = 10;

    private static final OutputAdapter<float[][]> TO_FLOATS = outputs -> outputs[0].toFloatMatrix();

    private final String version;
    private final MultiLayerNetwork network;

    public DigitClassifier(String version, MultiLayerNetwork network) {
        this.version = version;
        this.network = network;
    }

    /**
     * Restores the network from the bytes of a model file ({@link ModelStore#NETWORK_FILE}), in its
     * inference form ({@link BatchNormFolding}, {@link LayerHelpers}).
     */
    public static DigitClassifier fromBytes(String version, byte[] networkFile) {
        try {
            return inferenceOf(version, ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(networkFile), false));
        } catch (IOException | RuntimeException e) {
            throw new ModelException("model " + version + ": the network file is corrupt or not a DL4J network (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The inference form of a trained network ({@link BatchNormFolding}, {@link LayerHelpers}):
     * what scores uploads, and what validation and the test set measure. {@code trained} keeps its
     * parameters (folding builds a new network), so training can go on from it.
     */
    public static DigitClassifier inferenceOf(String version, MultiLayerNetwork trained) {
        MultiLayerNetwork inference = BatchNormFolding.fold(trained);
        LayerHelpers.install(inference);
        return new DigitClassifier(version, inference);
    }

    public String version() {
        return version;
    }

    /**
     * Probabilities for the first {@code count} images stored back to back in {@code pixels}
     * (784 floats each; the buffer may be longer, e.g. a reused batch buffer).
     */
    public float[][] probabilities(float[] pixels, int count) {
        if (count == 0) {
            return new float[0][];
        }
        float[] exact = pixels.length == count * INPUTS ? pixels : java.util.Arrays.copyOf(pixels, count * INPUTS);
        INDArray input = Nd4j.create(exact, new long[] {count, INPUTS}, 'c');
        try {
            // Through an OutputAdapter the output stays in DL4J's reused inference workspace and only
            // its Java copy leaves: no native array of it outlives the call waiting for a GC (the
            // stream's native memory grew between collections; docs/benchmarks.md, memory).
            return network.output(input, null, null, TO_FLOATS);
        } finally {
            input.close();
        }
    }

    public float[][] probabilities(float[][] images) {
        float[] flat = new float[images.length * INPUTS];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, flat, i * INPUTS, INPUTS);
        }
        return probabilities(flat, images.length);
    }

    /** Index of the largest probability. */
    public static int argmax(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }
}
