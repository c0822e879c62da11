package io.digitflow.preprocess;

import java.util.Arrays;

/**
 * Finds the digit in a grey image and returns it cropped, as light ink on a black background with
 * the ink scaled to reach 1.0, like an MNIST digit before its 20-pixel fit.
 *
 * <ol>
 *   <li>Polarity: the median pixel is the background (a digit covers far less than half of its
 *       picture); a light background means dark ink on paper, which is inverted.</li>
 *   <li>Noise floor: background level plus three robust standard deviations (from the median
 *       absolute deviation). Paper grain and JPEG noise sit below it; on clean input it is 0.</li>
 *   <li>Strokes: pixels above Otsu's threshold, grouped in 8-connected components; specks much
 *       smaller than the largest stroke are dropped.</li>
 *   <li>Crop: the box around every above-floor pixel within a few pixels of a kept stroke, so the
 *       faint anti-aliased edge of a stroke is kept but distant noise is not.</li>
 * </ol>
 */
final class InkIsolation {
    /** Smallest contrast between background and ink (in [0,1] units) that counts as a drawing. */
    static final float MIN_CONTRAST = 0.15f;
    /** A component smaller than this fraction of the largest is a speck, not a stroke. */
    static final float SPECK_FRACTION = 0.05f;

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
            background = 1f - background;
        }
        float inkPeak = percentile(histogram, px.length, 0.999);
        if (inkPeak - background < MIN_CONTRAST) {
            throw new RejectedImageException(RejectReason.NO_INK, String.format(
                    "no ink found: the brightest strokes differ from the background by %.0f%% (at least %.0f%% needed)",
                    100 * (inkPeak - background), 100 * MIN_CONTRAST));
        }
        float floor = Math.min(background + 3 * robustSigma(px, background), background + (inkPeak - background) / 2);
        float strokeThreshold = Math.max(otsu(histogram, px.length), floor);

        int w = image.width();
        int h = image.height();
        boolean[] strokes = keptStrokes(px, w, h, strokeThreshold);
        int reach = Math.max(2, Math.round(image.longestSide() / 50f));
        boolean[] nearStroke = dilate(strokes, w, h, reach);

        int minX = w, minY = h, maxX = -1, maxY = -1;
        float[] ink = new float[px.length];
        float scale = 1f / (inkLevel(px, strokes) - floor);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (nearStroke[i] && px[i] > floor) {
                    ink[i] = Math.min(1f, (px[i] - floor) * scale);
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            throw new RejectedImageException(RejectReason.NO_INK, "no ink found above the background noise");
        }
        int cw = maxX - minX + 1;
        int ch = maxY - minY + 1;
        float[] crop = new float[cw * ch];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(ink, (minY + y) * w + minX, crop, y * cw, cw);
        }
        return new GreyImage(cw, ch, crop);
    }

    /** The level the strokes reach (their 99th percentile), mapped to 1.0 like MNIST's darkest ink. */
    private static float inkLevel(float[] px, boolean[] strokes) {
        int[] hist = new int[256];
        int n = 0;
        for (int i = 0; i < px.length; i++) {
            if (strokes[i]) {
                hist[bin(px[i])]++;
                n++;
            }
        }
        return percentile(hist, n, 0.99);
    }

    private static boolean[] keptStrokes(float[] px, int w, int h, float threshold) {
        int[] label = new int[px.length];
        int[] area = new int[px.length / 2 + 2];
        int[] stack = new int[px.length];
        int labels = 0;
        int largest = 0;
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
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                            int j = ny * w + nx;
                            if (label[j] == 0 && px[j] > threshold) {
                                label[j] = id;
                                stack[top++] = j;
                            }
                        }
                    }
                }
            }
            largest = Math.max(largest, area[id]);
        }
        int minArea = Math.max(1, (int) Math.ceil(largest * SPECK_FRACTION));
        boolean[] kept = new boolean[px.length];
        for (int i = 0; i < px.length; i++) {
            kept[i] = label[i] != 0 && area[label[i]] >= minArea;
        }
        return kept;
    }

    /** Square dilation by {@code r} pixels, separable: rows then columns. */
    private static boolean[] dilate(boolean[] mask, int w, int h, int r) {
        boolean[] rows = new boolean[mask.length];
        for (int y = 0; y < h; y++) {
            int last = Integer.MIN_VALUE / 2;
            for (int x = 0; x < w; x++) {
                if (mask[y * w + x]) {
                    last = x;
                }
                rows[y * w + x] = x - last <= r;
            }
            last = Integer.MAX_VALUE / 2;
            for (int x = w - 1; x >= 0; x--) {
                if (mask[y * w + x]) {
                    last = x;
                }
                rows[y * w + x] |= last - x <= r;
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int x = 0; x < w; x++) {
            int last = Integer.MIN_VALUE / 2;
            for (int y = 0; y < h; y++) {
                if (rows[y * w + x]) {
                    last = y;
                }
                out[y * w + x] = y - last <= r;
            }
            last = Integer.MAX_VALUE / 2;
            for (int y = h - 1; y >= 0; y--) {
                if (rows[y * w + x]) {
                    last = y;
                }
                out[y * w + x] |= last - y <= r;
            }
        }
        return out;
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

    /** Otsu's threshold: the split of the histogram that maximises the between-class variance. */
    private static float otsu(int[] hist, int n) {
        double total = 0;
        for (int b = 0; b < 256; b++) {
            total += (double) b * hist[b];
        }
        double sumBelow = 0;
        long below = 0;
        double best = -1;
        int threshold = 127;
        for (int b = 0; b < 256; b++) {
            below += hist[b];
            if (below == 0) {
                continue;
            }
            long above = n - below;
            if (above == 0) {
                break;
            }
            sumBelow += (double) b * hist[b];
            double meanBelow = sumBelow / below;
            double meanAbove = (total - sumBelow) / above;
            double between = (double) below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best) {
                best = between;
                threshold = b;
            }
        }
        return threshold / 255f;
    }
}
