package io.digitflow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.digitflow.model.Architecture;
import io.digitflow.model.DigitClassifier;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** Scoring a set on several threads counts exactly what one thread counts. */
class EvaluationTest {

    @Test
    void threadsSplittingTheSetCountWhatOneThreadCounts() {
        MultiLayerNetwork net = new MultiLayerNetwork(Architecture.CNN.configuration(3, 1));
        net.init();
        LabelledImages set = randomImages(1_234, new SplittableRandom(9)); // parts not a multiple of the batch
        Evaluation one = Evaluation.of(DigitClassifier.inferenceOf("one", net), set);
        Evaluation three = Evaluation.of(List.of(DigitClassifier.inferenceOf("three", net), DigitClassifier.inferenceOf("three", net),
                DigitClassifier.inferenceOf("three", net)), set);
        assertEquals(1_234, three.examples());
        assertEquals(one.accuracy(), three.accuracy());
        for (int d = 0; d < 10; d++) {
            assertArrayEquals(one.confusion()[d], three.confusion()[d], "row " + d);
        }
        int counted = 0;
        for (int[] row : three.confusion()) {
            for (int n : row) {
                counted += n;
            }
        }
        assertEquals(1_234, counted);
    }

    private static LabelledImages randomImages(int n, SplittableRandom random) {
        float[][] images = new float[n][784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                images[i][p] = random.nextDouble() < 0.2 ? (float) random.nextDouble() : 0f;
            }
            labels[i] = random.nextInt(10);
        }
        return new LabelledImages() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void image(int i, float[] out) {
                System.arraycopy(images[i], 0, out, 0, 784);
            }

            @Override
            public int label(int i) {
                return labels[i];
            }
        };
    }
}
