package io.digitflow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static float[] square() {
        float[] img = new float[784];
        for (int y = 10; y < 18; y++) {
            for (int x = 10; x < 18; x++) {
                img[y * 28 + x] = 1f;
            }
        }
        return img;
    }

    private static double[] centreOfMass(float[] img) {
        double m = 0, sx = 0, sy = 0;
        for (int i = 0; i < 784; i++) {
            m += img[i];
            sx += img[i] * (i % 28);
            sy += img[i] * (i / 28);
        }
        return new double[] {sx / m, sy / m, m};
    }

    @Test
    void noTransformIsTheIdentity() {
        float[] out = new float[784];
        Augmenter.affine(square(), out, 0, 1, 0, 0);
        assertArrayEquals(square(), out, 1e-6f);
    }

    @Test
    void shiftMovesTheCentreOfMass() {
        float[] out = new float[784];
        Augmenter.affine(square(), out, 0, 1, 2, -1);
        double[] before = centreOfMass(square());
        double[] after = centreOfMass(out);
        assertEquals(before[0] + 2, after[0], 1e-6);
        assertEquals(before[1] - 1, after[1], 1e-6);
    }

    @Test
    void scaleChangesTheInkArea() {
        float[] bigger = new float[784];
        Augmenter.affine(square(), bigger, 0, 1.1, 0, 0);
        assertEquals(centreOfMass(square())[2] * 1.21, centreOfMass(bigger)[2], 2.0);
    }

    @Test
    void thickerStrokesHaveMoreInk() {
        float[] img = square();
        Augmenter.thickness(img, true, 1.0);
        assertTrue(centreOfMass(img)[2] > centreOfMass(square())[2] + 30);
    }
}
