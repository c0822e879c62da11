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
        Augmenter.affine(square(), out, 0, 1, 0, 0, 0);
        assertArrayEquals(square(), out, 1e-6f);
    }

    @Test
    void shiftMovesTheCentreOfMass() {
        float[] out = new float[784];
        Augmenter.affine(square(), out, 0, 1, 0, 2, -1);
        double[] before = centreOfMass(square());
        double[] after = centreOfMass(out);
        assertEquals(before[0] + 2, after[0], 1e-6);
        assertEquals(before[1] - 1, after[1], 1e-6);
    }

    @Test
    void scaleChangesTheInkArea() {
        float[] bigger = new float[784];
        Augmenter.affine(square(), bigger, 0, 1.1, 0, 0, 0);
        assertEquals(centreOfMass(square())[2] * 1.21, centreOfMass(bigger)[2], 2.0);
    }

    @Test
    void thickerStrokesHaveMoreInk() {
        float[] img = square();
        Augmenter.thickness(img, true, 1.0);
        assertTrue(centreOfMass(img)[2] > centreOfMass(square())[2] + 30);
    }

    @Test
    void lowResolutionLosesDetailButKeepsTheInkWhereItWas() {
        float[] img = new float[784];
        for (int y = 6; y < 22; y++) {
            img[y * 28 + 13] = 1f; // a one-pixel vertical stroke
        }
        float[] low = img.clone();
        Augmenter.lowResolution(low, 8);
        float max = 0;
        for (float v : low) {
            max = Math.max(max, v);
        }
        assertTrue(max < 0.6f, "a 1-px stroke seen at 8 px is smeared: " + max);
        assertTrue(low[14 * 28 + 13] > low[14 * 28 + 3], "the ink stays where the stroke was");
        Augmenter.stretch(low);
        assertEquals(1f, java.util.Arrays.stream(boxed(low)).max(Float::compare).orElseThrow(), 1e-6);
    }

    @Test
    void everyAugmentedDigitIsFittedLikeAnUploadWhenItsEdgeMoved() {
        // A bar off in a corner: blur, low resolution or thinning may hit it, then the refit must
        // bring its centre of mass back to the middle and its ink to full strength.
        float[] bar = new float[784];
        for (int y = 2; y < 12; y++) {
            for (int x = 3; x < 7; x++) {
                bar[y * 28 + x] = 1f;
            }
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        int refitted = 0;
        for (int i = 0; i < 400; i++) {
            float[] out = new float[784];
            Augmenter.augment(bar, out, rnd);
            double[] c = centreOfMass(out);
            if (Math.abs(c[0] - 14) < 1.5 && Math.abs(c[1] - 14) < 1.5) {
                refitted++;
            }
            float max = 0;
            for (float v : out) {
                max = Math.max(max, v);
            }
            assertEquals(1f, max, 1e-5, "ink stretched to 1");
        }
        // About half the draws thin, blur or lower the resolution (0.15 + 0.4 of the rest).
        assertTrue(refitted > 120 && refitted < 320, refitted + " of 400 draws were refitted to the centre");
    }

    @Test
    void slantShiftsTheTopAgainstTheBottom() {
        float[] img = new float[784];
        for (int y = 4; y < 24; y++) {
            img[y * 28 + 14] = 1f;
        }
        float[] slanted = new float[784];
        Augmenter.affine(img, slanted, 0, 1, 0.3, 0, 0);
        assertTrue(argmaxX(slanted, 5) != argmaxX(slanted, 22), "a slanted stroke is not vertical any more");
    }

    private static int argmaxX(float[] img, int y) {
        int best = 0;
        for (int x = 1; x < 28; x++) {
            if (img[y * 28 + x] > img[y * 28 + best]) {
                best = x;
            }
        }
        return best;
    }

    private static Float[] boxed(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
