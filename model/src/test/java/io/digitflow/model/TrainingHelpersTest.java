package io.digitflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network readied for training ({@link LayerHelpers#installForTraining}: the fast convolution and
 * batch-normalisation helpers) computes DL4J's own gradients, and so trains the same network.
 */
class TrainingHelpersTest {

    @Test
    void theDefaultCnnGetsDl4jsGradients() throws Exception {
        assertSameGradients(Architecture.CNN);
    }

    @Test
    void theSeedCnnWithSamePaddingGetsDl4jsGradients() throws Exception {
        assertSameGradients(Architecture.SEED_CNN);
    }

    @Test
    void trainingStepsStayWithDl4jsOwn() throws Exception {
        MultiLayerNetwork plain = new MultiLayerNetwork(Architecture.CNN.configuration(5, 3));
        plain.init();
        MultiLayerNetwork fast = plain.clone();
        LayerHelpers.installForTraining(fast);
        Nd4j.getRandom().setSeed(3);
        for (int step = 0; step < 5; step++) {
            DataSet batch = batch(32);
            plain.fit(batch);
            fast.fit(batch);
        }
        // Not the parameters themselves: a convolution's bias before batch normalisation has a zero
        // gradient in exact arithmetic, and Adam turns either sign of its rounding noise into a full step,
        // which the running means (used by output()) follow only in part: 1e-3 here, a wrong backward pass 1e-1.
        INDArray images = batch(64).getFeatures();
        INDArray difference = plain.output(images).sub(fast.output(images));
        assertTrue(difference.amaxNumber().doubleValue() < 1e-2, "largest probability difference " + difference.amaxNumber());
        assertEquals(plain.score(), fast.score(), 1e-3 * plain.score());
        // The running statistics follow the batches (a helper that skipped them would leave the means
        // at 0); they differ by the convolution bias' drift above, ~1e-3.
        for (int i = 0; i < plain.getLayers().length; i++) {
            if (plain.getLayer(i) instanceof BatchNormalization) {
                for (String statistic : new String[] {"mean", "log10stdev"}) { // M2.1 keeps log10 of the std deviation
                    INDArray expected = plain.getLayer(i).getParam(statistic);
                    INDArray actual = fast.getLayer(i).getParam(statistic);
                    assertTrue(expected.equalsWithEps(actual, 1e-2 * expected.amaxNumber().doubleValue()),
                            statistic + " of layer " + i + ": " + expected + " vs " + actual);
                }
            }
        }
        assertNoHelperFailures(fast);
    }

    private static void assertSameGradients(Architecture architecture) throws Exception {
        MultiLayerNetwork plain = new MultiLayerNetwork(architecture.configuration(7, 1));
        plain.init();
        MultiLayerNetwork fast = plain.clone();
        LayerHelpers.installForTraining(fast);
        Nd4j.getRandom().setSeed(11);
        DataSet batch = batch(16);
        Nd4j.getRandom().setSeed(12); // the same dropout masks for both
        INDArray expected = gradient(plain, batch);
        Nd4j.getRandom().setSeed(12);
        INDArray actual = gradient(fast, batch);
        // Relative to the largest gradient: float sums in another order differ in the last bits.
        double scale = expected.amaxNumber().doubleValue();
        double largest = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(largest <= 1e-4 * scale, "largest difference " + largest + " of gradients up to " + scale);
        assertEquals(plain.score(), fast.score(), 1e-5);
        assertNoHelperFailures(fast);
    }

    private static INDArray gradient(MultiLayerNetwork net, DataSet batch) {
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    private static DataSet batch(int size) {
        INDArray images = Nd4j.rand(DataType.FLOAT, size, DigitClassifier.INPUTS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, size, 10);
        for (int i = 0; i < size; i++) {
            labels.putScalar(i, (i * 7) % 10, 1f);
        }
        return new DataSet(images, labels);
    }

    /** DL4J counts helper failures and then falls back to its own path: none may happen. */
    private static void assertNoHelperFailures(MultiLayerNetwork net) throws Exception {
        Field convolutionFailures = ConvolutionLayer.class.getDeclaredField("helperCountFail");
        convolutionFailures.setAccessible(true);
        Field batchNormFailures = BatchNormalization.class.getDeclaredField("helperCountFail");
        batchNormFailures.setAccessible(true);
        int convolutions = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer conv) {
                assertTrue(conv.getHelper() instanceof FastConvolutionHelper, "helper of " + layer);
                assertEquals(0, convolutionFailures.getInt(conv), "helper failures in " + layer);
                convolutions++;
            } else if (layer instanceof BatchNormalization norm) {
                assertTrue(norm.getHelper() instanceof MKLDNNBatchNormHelper, "helper of " + layer);
                assertEquals(0, batchNormFailures.getInt(norm), "helper failures in " + layer);
            }
        }
        assertEquals(2, convolutions);
    }
}
