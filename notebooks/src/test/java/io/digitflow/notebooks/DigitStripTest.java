package io.digitflow.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitStripTest {
    @Test
    void digitsSideBySideEnlargedDarkInkOnWhite() {
        byte[] blank = new byte[784];
        byte[] dot = new byte[784];
        dot[28 * 3 + 5] = (byte) 255; // one fully inked pixel at row 3, column 5

        BufferedImage strip = DigitStrip.of(List.of(blank, dot), 2);

        assertEquals(2 * 56 + DigitStrip.GAP, strip.getWidth());
        assertEquals(56, strip.getHeight());
        int left = 56 + DigitStrip.GAP;
        assertEquals(0, strip.getRaster().getSample(left + 10, 6, 0), "the ink, enlarged ×2");
        assertEquals(0, strip.getRaster().getSample(left + 11, 7, 0));
        assertEquals(255, strip.getRaster().getSample(left + 12, 6, 0), "paper next to it");
        assertEquals(255, strip.getRaster().getSample(10, 6, 0), "the blank digit stays paper");
        assertEquals(255, strip.getRaster().getSample(56, 0, 0), "the gap is paper");
    }
}
