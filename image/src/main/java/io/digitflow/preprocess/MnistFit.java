package io.digitflow.preprocess;

/**
 * MNIST's own normalisation (LeCun et al.): the digit's box scaled so its longest side is 20
 * pixels, aspect ratio kept, then placed in a 28×28 field so that its centre of mass falls on the
 * field's centre (pixel 14,14; MNIST's test digits all round to exactly that).
 */
final class MnistFit {
    static final int FIELD = 28;
    static final int BOX = 20;
    static final double CENTRE = 14.0;

    private MnistFit() {
    }

    static float[] fit(GreyImage digit) {
        double scale = (double) BOX / digit.longestSide();
        int w = Math.max(1, (int) Math.round(digit.width() * scale));
        int h = Math.max(1, (int) Math.round(digit.height() * scale));
        GreyImage box = Resampler.resize(digit, w, h);

        double mass = 0;
        double sumX = 0;
        double sumY = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = box.get(x, y);
                mass += v;
                sumX += v * x;
                sumY += v * y;
            }
        }
        int left = (int) Math.round(CENTRE - sumX / mass);
        int top = (int) Math.round(CENTRE - sumY / mass);

        float[] field = new float[FIELD * FIELD];
        for (int y = 0; y < h; y++) {
            int fy = top + y;
            if (fy < 0 || fy >= FIELD) {
                continue;
            }
            for (int x = 0; x < w; x++) {
                int fx = left + x;
                if (fx >= 0 && fx < FIELD) {
                    field[fy * FIELD + fx] = box.get(x, y);
                }
            }
        }
        return field;
    }
}
