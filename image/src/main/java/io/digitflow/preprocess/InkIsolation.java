package io.digitflow.preprocess;

import java.util.Arrays;

/**
 * Finds the digit in a grey image and returns it cropped, as light ink on a black background with
 * the ink stretched to reach 1.0, like an MNIST digit before its 20-pixel fit.
 *
 * <ol>
 *   <li>Polarity: the median pixel is the background (a digit covers far less than half of its
 *       picture); a light background means dark ink on paper, which is inverted.</li>
 *   <li>Noise floor: the background plus five robust standard deviations (from the median absolute
 *       deviation), and at least half a grey level. Paper grain and JPEG noise sit below it; on clean
 *       input such as MNIST it is half a grey level.</li>
 *   <li>Ink: above-floor pixels in 8-connected components; specks (tiny for the picture's size:
 *       noise in the tail above the floor, dust) are dropped. The crop is the box around the
 *       remaining ink, whose level is stretched so the strokes reach 1.0.</li>
 * </ol>
 */
final class InkIsolation {
    /** Smallest contrast between background and ink (in [0,1] units) that counts as a drawing. */
    static final float MIN_CONTRAST = 0.15f;
    /**
     * The noise floor in robust standard deviations above the background. JPEG turns pixel noise
     * into correlated blotches, so the floor sits further out than the Gaussian 3σ.
     */
    static final float NOISE_SIGMAS = 5f;
    /**
     * A component whose area is below (this fraction of the picture's longest side)² is a speck,
     * not a stroke. Relative to the picture, not to the largest stroke: a digit's own small detached
     * pieces (a broken 5's bar) must survive, and on a 28-pixel image nothing is a speck.
     */
    static final float SPECK_SIDE_FRACTION = 0.02f;

    private static final float HALF_LEVEL = 0.5f / 255 + 1e-6f;

    private InkIsolation() {
    }

    static GreyImage isolate(GreyImage image) throws RejectedImageException {
        float[] px = image.pixels().clone();
        int[] histogram = histogram(px);
        float background = percentile(histogram, px.length, 0.5);
        if (background > 0.5f) {
            for (int i = 0; i < px.length; i++) {
                px[i] = 1f - px[i];
            }
            histogram = histogram(px);
            background = percentile(histogram, px.length, 0.5);
        }
        float inkPeak = percentile(histogram, px.length, 0.999);
        if (inkPeak - background < MIN_CONTRAST) {
            throw new RejectedImageException(RejectReason.NO_INK, String.format(
                    "no ink found: the strongest strokes differ from the background by %.0f%% (at least %.0f%% needed)",
                    100 * (inkPeak - background), 100 * MIN_CONTRAST));
        }
        // Levels come from a 256-bin histogram, so the background is known to half a grey level:
        // anything within that of it is background, even on perfectly flat paper (σ = 0).
        float noise = Math.max(NOISE_SIGMAS * robustSigma(px, background), HALF_LEVEL);
        float floor = Math.min(background + noise, background + (inkPeak - background) / 2);

        int w = image.width();
        int h = image.height();
        int minArea = (int) Math.ceil(Math.pow(image.longestSide() * SPECK_SIDE_FRACTION, 2));
        boolean[] ink = inkComponents(px, w, h, floor, minArea);

        int minX = w, minY = h, maxX = -1, maxY = -1;
        for (int i = 0; i < px.length; i++) {
            if (ink[i]) {
                minX = Math.min(minX, i % w);
                maxX = Math.max(maxX, i % w);
                minY = Math.min(minY, i / w);
                maxY = Math.max(maxY, i / w);
            }
        }
        if (maxX < 0) {
            throw new RejectedImageException(RejectReason.NO_INK, "no ink found above the background noise");
        }
        float scale = 1f / (inkLevel(px, ink) - floor);
        int cw = maxX - minX + 1;
        int ch = maxY - minY + 1;
        float[] crop = new float[cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int i = (minY + y) * w + minX + x;
                crop[y * cw + x] = ink[i] ? Math.min(1f, (px[i] - floor) * scale) : 0f;
            }
        }
        return new GreyImage(cw, ch, crop);
    }

    /** The level the ink reaches (its 99th percentile), mapped to 1.0 like MNIST's darkest ink. */
    private static float inkLevel(float[] px, boolean[] ink) {
        int[] hist = new int[256];
        int n = 0;
        for (int i = 0; i < px.length; i++) {
            if (ink[i]) {
                hist[bin(px[i])]++;
                n++;
            }
        }
        return percentile(hist, n, 0.99);
    }

    /** Pixels above {@code threshold} in 8-connected components of at least {@code minArea} pixels. */
    private static boolean[] inkComponents(float[] px, int w, int h, float threshold, int minArea) {
        int[] label = new int[px.length];
        int[] area = new int[16];
        int[] stack = new int[px.length];
        int labels = 0;
        for (int start = 0; start < px.length; start++) {
            if (px[start] <= threshold || label[start] != 0) {
                continue;
            }
            int id = ++labels;
            if (id >= area.length) {
                area = Arrays.copyOf(area, area.length * 2);
            }
            int top = 0;
            stack[top++] = start;
            label[start] = id;
            while (top > 0) {
                int i = stack[--top];
                area[id]++;
                int x = i % w;
                int y = i / w;
                for (int ny = Math.max(0, y - 1); ny <= Math.min(h - 1, y + 1); ny++) {
                    for (int nx = Math.max(0, x - 1); nx <= Math.min(w - 1, x + 1); nx++) {
                        int j = ny * w + nx;
                        if (label[j] == 0 && px[j] > threshold) {
                            label[j] = id;
                            stack[top++] = j;
                        }
                    }
                }
            }
        }
        boolean[] kept = new boolean[px.length];
        for (int i = 0; i < px.length; i++) {
            kept[i] = label[i] != 0 && area[label[i]] >= minArea;
        }
        return kept;
    }

    private static int bin(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    private static int[] histogram(float[] px) {
        int[] hist = new int[256];
        for (float v : px) {
            hist[bin(v)]++;
        }
        return hist;
    }

    private static float percentile(int[] hist, int n, double q) {
        long target = (long) Math.ceil(q * n);
        long seen = 0;
        for (int b = 0; b < 256; b++) {
            seen += hist[b];
            if (seen >= target) {
                return b / 255f;
            }
        }
        return 1f;
    }

    /** 1.4826 × median absolute deviation from the background: σ of Gaussian noise, blind to the ink. */
    private static float robustSigma(float[] px, float background) {
        int[] hist = new int[256];
        for (float v : px) {
            hist[bin(Math.abs(v - background))]++;
        }
        return 1.4826f * percentile(hist, px.length, 0.5);
    }
}
