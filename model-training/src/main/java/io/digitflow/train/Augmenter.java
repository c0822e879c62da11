package io.digitflow.train;

import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import java.util.SplittableRandom;

/**
 * Training-time distortions that make MNIST look more like real uploads, and like the inputs MNIST
 * lacks: a small random affine transform (shift ±2 px, rotation ±10°, scale ±10%, slant ±17°, for
 * other handwriting styles), a random change of stroke thickness (canvas pens draw thicker than
 * NIST's scanned pencil; thin pens thinner), and, now and then, a digit seen at low resolution
 * (6×6 to 16×16, upscaled back) or out of focus; those are cropped and fitted again as an upload would be. The result is stretched so its ink reaches 1.0, as the
 * preprocessing does with every upload (faint ink is therefore normalised away before the network).
 */
final class Augmenter {
    static final int SIDE = 28;
    static final double MAX_SHIFT = 2.0;
    static final double MAX_ROTATION = Math.toRadians(10);
    static final double MAX_SCALE = 0.10;
    static final double MAX_SHEAR = 0.3;
    static final double LOW_RESOLUTION_SHARE = 0.2;
    static final double BLUR_SHARE = 0.10;

    private Augmenter() {
    }

    /** A distorted copy of {@code image} (784 floats in [0,1]) written to {@code out}. */
    static void augment(float[] image, float[] out, SplittableRandom rnd) {
        double angle = (rnd.nextDouble() * 2 - 1) * MAX_ROTATION;
        double scale = 1 + (rnd.nextDouble() * 2 - 1) * MAX_SCALE;
        double dx = (rnd.nextDouble() * 2 - 1) * MAX_SHIFT;
        double dy = (rnd.nextDouble() * 2 - 1) * MAX_SHIFT;
        double shear = (rnd.nextDouble() * 2 - 1) * MAX_SHEAR;
        affine(image, out, angle, scale, shear, dx, dy);
        boolean reshaped = false;
        double stroke = rnd.nextDouble();
        if (stroke < 0.3) {
            thickness(out, true, 0.3 + 0.7 * rnd.nextDouble());
        } else if (stroke < 0.45) {
            thickness(out, false, 0.2 + 0.6 * rnd.nextDouble());
            reshaped = true;
        }
        double look = rnd.nextDouble();
        if (look < LOW_RESOLUTION_SHARE) {
            // The image seen at 6x6 to 16x16 (a small sensor, a thumbnail) and upscaled back.
            lowResolution(out, 6 + rnd.nextInt(11));
            reshaped = true;
        } else if (look < LOW_RESOLUTION_SHARE + BLUR_SHARE) {
            blur(out, 0.6 + 0.8 * rnd.nextDouble());
            reshaped = true;
        }
        // Blur, low resolution and thinning move the ink's edge, and with it the crop and scale an
        // upload of such a digit gets: refit it the way the preprocessing will.
        if (reshaped) {
            PreprocessResult refitted = Preprocessor.refit(out, SIDE);
            if (refitted.isOk()) {
                System.arraycopy(refitted.pixels(), 0, out, 0, out.length);
            }
        }
        stretch(out);
    }

    /** Inverse-maps every output pixel through slant, rotation and scale about the centre, then the shift; bilinear. */
    static void affine(float[] src, float[] out, double angle, double scale, double shear, double dx, double dy) {
        double c = Math.cos(angle) / scale;
        double s = Math.sin(angle) / scale;
        double centre = (SIDE - 1) / 2.0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double oy = y - centre - dy;
                double ox = x - centre - dx + shear * oy;
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

    /** Down to {@code side}×{@code side} by area averaging, then back up bilinearly: detail below that resolution is gone. */
    static void lowResolution(float[] img, int side) {
        float[] small = new float[side * side];
        double cell = (double) SIDE / side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double sum = 0;
                int n = 0;
                for (int sy = (int) (y * cell); sy < Math.min(SIDE, (int) Math.ceil((y + 1) * cell)); sy++) {
                    for (int sx = (int) (x * cell); sx < Math.min(SIDE, (int) Math.ceil((x + 1) * cell)); sx++) {
                        sum += img[sy * SIDE + sx];
                        n++;
                    }
                }
                small[y * side + x] = (float) (sum / Math.max(1, n));
            }
        }
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double fx = Math.max(0, Math.min(side - 1, (x + 0.5) / cell - 0.5));
                double fy = Math.max(0, Math.min(side - 1, (y + 0.5) / cell - 0.5));
                int x0 = (int) fx;
                int y0 = (int) fy;
                int x1 = Math.min(side - 1, x0 + 1);
                int y1 = Math.min(side - 1, y0 + 1);
                double tx = fx - x0;
                double ty = fy - y0;
                img[y * SIDE + x] = (float) ((small[y0 * side + x0] * (1 - tx) + small[y0 * side + x1] * tx) * (1 - ty)
                        + (small[y1 * side + x0] * (1 - tx) + small[y1 * side + x1] * tx) * ty);
            }
        }
    }

    /** A separable Gaussian blur of standard deviation {@code sigma} pixels. */
    static void blur(float[] img, double sigma) {
        int r = (int) Math.ceil(2 * sigma);
        double[] k = new double[2 * r + 1];
        double total = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            total += k[i + r];
        }
        float[] tmp = new float[img.length];
        for (int pass = 0; pass < 2; pass++) {
            float[] from = pass == 0 ? img : tmp;
            float[] to = pass == 0 ? tmp : img;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double sum = 0;
                    for (int i = -r; i <= r; i++) {
                        int xx = pass == 0 ? x + i : x;
                        int yy = pass == 0 ? y : y + i;
                        if (xx >= 0 && yy >= 0 && xx < SIDE && yy < SIDE) {
                            sum += k[i + r] * from[yy * SIDE + xx];
                        }
                    }
                    to[y * SIDE + x] = (float) (sum / total);
                }
            }
        }
    }

    /** Scales the ink so its strongest pixel is 1, as the preprocessing does (an all-blank image stays blank). */
    static void stretch(float[] img) {
        float max = 0;
        for (float v : img) {
            max = Math.max(max, v);
        }
        if (max > 0 && max < 1) {
            for (int i = 0; i < img.length; i++) {
                img[i] /= max;
            }
        }
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
