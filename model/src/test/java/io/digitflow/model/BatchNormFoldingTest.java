package io.digitflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormFoldingTest {

    /** The default CNN with batch-norm statistics and affine terms far from their initial identity. */
    private static MultiLayerNetwork cnnWithLearnedNormalisation(Random random) {
        MultiLayerNetwork net = new MultiLayerNetwork(Architecture.CNN.configuration(7, 1));
        net.init();
        for (Layer layer : net.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                layer.paramTable().forEach((key, value) -> {
                    float[] v = new float[(int) value.length()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = key.equals("log10stdev") ? (float) (random.nextDouble() - 0.5) : (float) random.nextGaussian();
                    }
                    layer.setParam(key, Nd4j.create(v, value.shape(), 'c'));
                });
            }
        }
        return net;
    }

    private static float[] pixels(Random random, int images) {
        float[] p = new float[images * DigitClassifier.INPUTS];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextFloat();
        }
        return p;
    }

    @Test
    void theFoldedNetworkGivesTheSameProbabilitiesWithoutItsBatchNormalisations() {
        Random random = new Random(11);
        MultiLayerNetwork trained = cnnWithLearnedNormalisation(random);
        MultiLayerNetwork folded = BatchNormFolding.fold(trained);

        assertEquals(trained.getnLayers() - 2, folded.getnLayers());
        assertTrue(Arrays.stream(folded.getLayers())
                .noneMatch(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization));

        float[] input = pixels(random, 32);
        float[][] expected = new DigitClassifier("trained", trained).probabilities(input, 32);
        float[][] actual = new DigitClassifier("folded", folded).probabilities(input, 32);
        float worst = 0;
        for (int i = 0; i < 32; i++) {
            for (int c = 0; c < DigitClassifier.CLASSES; c++) {
                worst = Math.max(worst, Math.abs(expected[i][c] - actual[i][c]));
            }
            assertEquals(DigitClassifier.argmax(expected[i]), DigitClassifier.argmax(actual[i]), "image " + i);
        }
        assertTrue(worst < 1e-4f, "largest probability difference " + worst);
    }

    @Test
    void theTrainedNetworkIsLeftAsItWas() {
        Random random = new Random(5);
        MultiLayerNetwork trained = cnnWithLearnedNormalisation(random);
        INDArray before = trained.params().dup();
        BatchNormFolding.fold(trained);
        assertEquals(before, trained.params());
    }

    @Test
    void aNetworkWithoutBatchNormalisationIsUsedAsItIs() {
        MultiLayerNetwork softmax = new MultiLayerNetwork(Architecture.SOFTMAX.configuration(3, 1));
        softmax.init();
        assertSame(softmax, BatchNormFolding.fold(softmax));
    }
}
