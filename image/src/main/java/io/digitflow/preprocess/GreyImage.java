package io.digitflow.preprocess;

/** A single-channel image, row-major, values in [0,1]. Mutable pixels for speed; not shared across threads. */
record GreyImage(int width, int height, float[] pixels) {

    GreyImage {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(width + "×" + height + " image with " + pixels.length + " pixels");
        }
    }

    static GreyImage blank(int width, int height) {
        return new GreyImage(width, height, new float[width * height]);
    }

    float get(int x, int y) {
        return pixels[y * width + x];
    }

    int longestSide() {
        return Math.max(width, height);
    }
}
