package io.digitflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

class ArchitectureTest {

    /** The rate Adam uses in the given epoch (0-based) of a cnn configured for {@code epochs}. */
    private static double cnnRate(int epochs, int epoch) {
        BaseLayer first = (BaseLayer) Architecture.CNN.configuration(42, epochs).getConf(0).getLayer();
        return ((Adam) first.getIUpdater()).getLearningRateSchedule().valueAt(0, epoch);
    }

    @Test
    void eightEpochsKeepTheMeasuredSchedule() {
        assertEquals(0.7, Architecture.epochDecay(8), 1e-12);
        assertEquals(2e-3 * 0.7 * 0.7, cnnRate(8, 2), 1e-12);
    }

    @Test
    void everyRunEndsAtTheSameRate() {
        for (int epochs : new int[] {2, 4, 5, 8, 12}) {
            assertEquals(2e-3, cnnRate(epochs, 0), 1e-12, epochs + " epochs, first");
            assertEquals(2e-3 * Architecture.FINAL_RATE_SHARE, cnnRate(epochs, epochs - 1), 1e-9, epochs + " epochs, last");
        }
    }

    @Test
    void oneEpochKeepsTheFirstRate() {
        assertEquals(2e-3, cnnRate(1, 0), 1e-12);
    }
}
