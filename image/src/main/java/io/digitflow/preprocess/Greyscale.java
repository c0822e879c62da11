package io.digitflow.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Any decoded image (any bit depth, palette, colour model, with or without alpha) to one grey
 * channel in [0,1], 0 = black. Transparent areas are composited onto the background that contrasts
 * with the opaque strokes: a canvas drawing of dark strokes on transparency becomes dark on white,
 * light strokes become light on black, so the ink is never composited away.
 */
final class Greyscale {
    private Greyscale() {
    }

    static GreyImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] grey = new float[w * h];
        float[] alpha = image.getColorModel().hasAlpha() ? new float[w * h] : null;
        if (isPlainGrey(image.getColorModel())) {
            readGreyRaster(image.getRaster(), grey, alpha);
        } else {
            readViaSrgb(image, grey, alpha);
        }
        if (alpha != null) {
            composite(grey, alpha);
        }
        return new GreyImage(w, h, grey);
    }

    /**
     * Grey images are read from their raw samples: converting them through sRGB (getRGB) would
     * apply a gamma curve to a linear grey colour space and change MNIST's pixel values.
     */
    private static boolean isPlainGrey(ColorModel cm) {
        return !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static void readGreyRaster(Raster raster, float[] grey, float[] alpha) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        float greyMax = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                grey[y * w + x] = row[x] / greyMax;
            }
            if (alpha != null && raster.getNumBands() > 1) {
                float alphaMax = (1 << raster.getSampleModel().getSampleSize(1)) - 1;
                raster.getSamples(0, y, w, 1, 1, row);
                for (int x = 0; x < w; x++) {
                    alpha[y * w + x] = row[x] / alphaMax;
                }
            }
        }
        if (alpha != null && raster.getNumBands() < 2) {
            java.util.Arrays.fill(alpha, 1f);
        }
    }

    private static void readViaSrgb(BufferedImage image, float[] grey, float[] alpha) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                // ITU-R BT.601 luma, as most greyscale conversions (and MNIST's NIST scans) assume.
                grey[y * w + x] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                if (alpha != null) {
                    alpha[y * w + x] = ((p >>> 24) & 0xFF) / 255f;
                }
            }
        }
    }

    private static void composite(float[] grey, float[] alpha) {
        double inkSum = 0;
        double inkWeight = 0;
        for (int i = 0; i < grey.length; i++) {
            inkSum += grey[i] * alpha[i];
            inkWeight += alpha[i];
        }
        if (inkWeight == 0) {
            // Fully transparent: nothing drawn. Make it uniformly white so it is refused as blank.
            java.util.Arrays.fill(grey, 1f);
            return;
        }
        float background = inkSum / inkWeight < 0.5 ? 1f : 0f;
        for (int i = 0; i < grey.length; i++) {
            grey[i] = alpha[i] * grey[i] + (1 - alpha[i]) * background;
        }
    }
}
