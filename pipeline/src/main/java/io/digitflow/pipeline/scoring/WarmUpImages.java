package io.digitflow.pipeline.scoring;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** The generated images the scoring JVMs warm up on before real files come. */
public final class WarmUpImages {
    private WarmUpImages() {
    }

    /** A 28×28 PNG of a thick vertical stroke: a "1". */
    public static byte[] digit() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 5; y < 23; y++) {
            for (int x = 12; x < 16; x++) {
                image.getRaster().setSample(x, y, 0, 255);
            }
        }
        return png(image);
    }

    /** A 280×280 RGBA PNG like the page's canvas sends: dark round strokes (a "7") on transparency. */
    public static byte[] drawing() {
        BufferedImage image = new BufferedImage(280, 280, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x11, 0x11, 0x11));
        g.setStroke(new BasicStroke(18, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawPolyline(new int[] {70, 210, 120}, new int[] {60, 60, 230}, 3);
        g.dispose();
        return png(image);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        // In memory, as ImageDecoder reads: ImageIO.write to a plain OutputStream spools through a
        // temporary file, and the stream would not start where the temp folder is not writable.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(png)) {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
