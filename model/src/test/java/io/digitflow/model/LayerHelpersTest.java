package io.digitflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The conv2d helper gives the same probabilities as DL4J's own convolution, and really runs. */
class LayerHelpersTest {

    @Test
    void theDefaultCnnScoresTheSameWithTheHelper() throws Exception {
        assertSameOutputs(Architecture.CNN, 2);
    }

    @Test
    void theSeedCnnWithSamePaddingScoresTheSameWithTheHelper() throws Exception {
        assertSameOutputs(Architecture.SEED_CNN, 2);
    }

    @Test
    void aNetworkWithoutConvolutionsIsLeftAlone() {
        MultiLayerNetwork net = new MultiLayerNetwork(Architecture.SOFTMAX.configuration(7, 1));
        net.init();
        assertEquals(0, LayerHelpers.install(net));
    }

    private static void assertSameOutputs(Architecture architecture, int convolutions) throws Exception {
        MultiLayerNetwork trained = new MultiLayerNetwork(architecture.configuration(7, 1));
        trained.init();
        MultiLayerNetwork plain = BatchNormFolding.fold(trained.clone());
        MultiLayerNetwork helped = BatchNormFolding.fold(trained.clone());
        assertEquals(convolutions, LayerHelpers.install(helped));
        Nd4j.getRandom().setSeed(11);
        INDArray images = Nd4j.rand(DataType.FLOAT, 64, DigitClassifier.INPUTS);
        INDArray expected = plain.output(images);
        INDArray actual = helped.output(images);
        assertTrue(expected.equalsWithEps(actual, 1e-5), "largest difference " + expected.sub(actual).amaxNumber());
        for (Layer layer : helped.getLayers()) {
            if (layer instanceof ConvolutionLayer conv) {
                assertInstanceOf(FastConvolutionHelper.class, conv.getHelper());
                // DL4J counts helper failures and then falls back to its own path: none happened.
                Field failures = ConvolutionLayer.class.getDeclaredField("helperCountFail");
                failures.setAccessible(true);
                assertEquals(0, failures.getInt(conv), "helper failures in " + layer);
            }
        }
    }
}
