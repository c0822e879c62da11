package io.digitflow.train;

import java.util.SplittableRandom;

/**
 * Training-time distortions that make MNIST look more like real uploads: a small random affine
 * transform (shift ±2 px, rotation ±10°, scale ±10%) and a random change of stroke thickness
 * (canvas pens draw thicker than NIST's scanned pencil; thin pens thinner).
 */
final class Augmenter {
    static final int SIDE = 28;
    static final double MAX_SHIFT = 2.0;
    static final double MAX_ROTATION = Math.toRadians(10);
    static final double MAX_SCALE = 0.10;

    private Augmenter() {
    }

    /** A distorted copy of {@code image} (784 floats in [0,1]) written to {@code out}. */
    static void augment(float[] image, float[] out, SplittableRandom rnd) {
        double angle = (rnd.nextDouble() * 2 - 1) * MAX_ROTATION;
        double scale = 1 + (rnd.nextDouble() * 2 - 1) * MAX_SCALE;
        double dx = (rnd.nextDouble() * 2 - 1) * MAX_SHIFT;
        double dy = (rnd.nextDouble() * 2 - 1) * MAX_SHIFT;
        affine(image, out, angle, scale, dx, dy);
        double stroke = rnd.nextDouble();
        if (stroke < 0.3) {
            thickness(out, true, 0.3 + 0.7 * rnd.nextDouble());
        } else if (stroke < 0.45) {
            thickness(out, false, 0.2 + 0.3 * rnd.nextDouble());
        }
    }

    /** Inverse-maps every output pixel through rotation+scale about the centre, then the shift; bilinear. */
    static void affine(float[] src, float[] out, double angle, double scale, double dx, double dy) {
        double c = Math.cos(angle) / scale;
        double s = Math.sin(angle) / scale;
        double centre = (SIDE - 1) / 2.0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double ox = x - centre - dx;
                double oy = y - centre - dy;
                double sx = c * ox + s * oy + centre;
                double sy = -s * ox + c * oy + centre;
                out[y * SIDE + x] = bilinear(src, sx, sy);
            }
        }
    }

    private static float bilinear(float[] src, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double tx = x - x0;
        double ty = y - y0;
        return (float) ((at(src, x0, y0) * (1 - tx) + at(src, x0 + 1, y0) * tx) * (1 - ty)
                + (at(src, x0, y0 + 1) * (1 - tx) + at(src, x0 + 1, y0 + 1) * tx) * ty);
    }

    private static float at(float[] src, int x, int y) {
        return x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0f : src[y * SIDE + x];
    }

    /** Grey dilation (thicker) or erosion (thinner) over 3×3, blended in by {@code amount}. */
    static void thickness(float[] img, boolean thicker, double amount) {
        float[] copy = img.clone();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float v = copy[y * SIDE + x];
                float extreme = v;
                for (int ny = Math.max(0, y - 1); ny <= Math.min(SIDE - 1, y + 1); ny++) {
                    for (int nx = Math.max(0, x - 1); nx <= Math.min(SIDE - 1, x + 1); nx++) {
                        float n = copy[ny * SIDE + nx];
                        extreme = thicker ? Math.max(extreme, n) : Math.min(extreme, n);
                    }
                }
                img[y * SIDE + x] = (float) (v + amount * (extreme - v));
            }
        }
    }
}
