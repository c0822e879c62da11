package io.digitflow.notebooks;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * MNIST digits side by side as one picture, enlarged and printed dark on white as a person would
 * see them on paper (MNIST stores light ink on black), for the notebook's "most confused" rows.
 */
public final class DigitStrip {
    static final int SIDE = 28;
    static final int GAP = 4;

    private DigitStrip() {
    }

    /** Each digit is 784 bytes of MNIST grey (0 = background); {@code scale} pixels per MNIST pixel. */
    public static BufferedImage of(List<byte[]> digits, int scale) {
        if (digits.isEmpty() || scale < 1) {
            throw new IllegalArgumentException("need at least one digit and a scale >= 1 (got " + digits.size() + ", " + scale + ")");
        }
        int cell = SIDE * scale;
        BufferedImage strip = new BufferedImage(digits.size() * (cell + GAP) - GAP, cell, BufferedImage.TYPE_BYTE_GRAY);
        var raster = strip.getRaster();
        for (int y = 0; y < cell; y++) {
            for (int x = 0; x < strip.getWidth(); x++) {
                raster.setSample(x, y, 0, 255);
            }
        }
        for (int i = 0; i < digits.size(); i++) {
            byte[] digit = digits.get(i);
            if (digit.length != SIDE * SIDE) {
                throw new IllegalArgumentException("digit " + i + " has " + digit.length + " pixels, expected " + SIDE * SIDE);
            }
            int left = i * (cell + GAP);
            for (int y = 0; y < cell; y++) {
                for (int x = 0; x < cell; x++) {
                    raster.setSample(left + x, y, 0, 255 - (digit[(y / scale) * SIDE + x / scale] & 0xFF));
                }
            }
        }
        return strip;
    }
}
