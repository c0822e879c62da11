package io.digitflow.preprocess;

/**
 * Resizes a grey image. Shrinking averages each output pixel over the exact source area it covers
 * (anti-aliased, like the resampling MNIST's digits went through); enlarging a tiny crop
 * interpolates bilinearly. Same size is a copy.
 */
final class Resampler {
    private Resampler() {
    }

    static GreyImage resize(GreyImage src, int width, int height) {
        if (width == src.width() && height == src.height()) {
            return new GreyImage(width, height, src.pixels().clone());
        }
        boolean shrinking = width <= src.width() && height <= src.height();
        return shrinking ? areaAverage(src, width, height) : bilinear(src, width, height);
    }

    private static GreyImage areaAverage(GreyImage src, int width, int height) {
        float[] out = new float[width * height];
        double sx = (double) src.width() / width;
        double sy = (double) src.height() / height;
        for (int oy = 0; oy < height; oy++) {
            double y0 = oy * sy;
            double y1 = y0 + sy;
            for (int ox = 0; ox < width; ox++) {
                double x0 = ox * sx;
                double x1 = x0 + sx;
                double sum = 0;
                for (int y = (int) y0; y < Math.min(src.height(), Math.ceil(y1)); y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    for (int x = (int) x0; x < Math.min(src.width(), Math.ceil(x1)); x++) {
                        double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                        sum += wx * wy * src.get(x, y);
                    }
                }
                out[oy * width + ox] = (float) (sum / (sx * sy));
            }
        }
        return new GreyImage(width, height, out);
    }

    private static GreyImage bilinear(GreyImage src, int width, int height) {
        float[] out = new float[width * height];
        double sx = (double) src.width() / width;
        double sy = (double) src.height() / height;
        for (int oy = 0; oy < height; oy++) {
            double fy = Math.max(0, Math.min(src.height() - 1, (oy + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(src.height() - 1, y0 + 1);
            double ty = fy - y0;
            for (int ox = 0; ox < width; ox++) {
                double fx = Math.max(0, Math.min(src.width() - 1, (ox + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(src.width() - 1, x0 + 1);
                double tx = fx - x0;
                double top = src.get(x0, y0) * (1 - tx) + src.get(x1, y0) * tx;
                double bottom = src.get(x0, y1) * (1 - tx) + src.get(x1, y1) * tx;
                out[oy * width + ox] = (float) (top * (1 - ty) + bottom * ty);
            }
        }
        return new GreyImage(width, height, out);
    }
}
