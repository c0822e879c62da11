package io.digitflow.testkit;

import io.digitflow.mnist.Mnist;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns MNIST digits into the kinds of files people upload: the digit as MNIST stores it, a
 * canvas drawing (RGBA, transparent background), a phone photo of ink on paper (large, off-centre,
 * noisy, JPEG), palette GIFs, 16-bit PNGs. Used by preprocessing tests, the pipeline tests and the
 * real-upload accuracy benchmark.
 */
public final class DigitImages {
    private DigitImages() {
    }

    /** The test set of MNIST under the repository's var/mnist. */
    public static Mnist.DataSet mnistTest() {
        return Mnist.under(TestHome.root()).load(Mnist.Split.TEST);
    }

    /** 28×28 8-bit grey, white ink on black: exactly MNIST's bytes. */
    public static BufferedImage mnistGrey(byte[] digit) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(digit, 0, data, 0, 784);
        return img;
    }

    /** Bilinear upscale of the 28×28 ink to {@code side}×{@code side}, values 0-1. */
    static float[] upscaled(byte[] digit, int side) {
        float[] out = new float[side * side];
        double s = 28.0 / side;
        for (int y = 0; y < side; y++) {
            double fy = Math.max(0, Math.min(27, (y + 0.5) * s - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(27, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < side; x++) {
                double fx = Math.max(0, Math.min(27, (x + 0.5) * s - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(27, x0 + 1);
                double tx = fx - x0;
                double v = ((digit[y0 * 28 + x0] & 0xFF) * (1 - tx) + (digit[y0 * 28 + x1] & 0xFF) * tx) * (1 - ty)
                        + ((digit[y1 * 28 + x0] & 0xFF) * (1 - tx) + (digit[y1 * 28 + x1] & 0xFF) * tx) * ty;
                out[y * side + x] = (float) (v / 255);
            }
        }
        return out;
    }

    /** A canvas drawing: dark strokes whose alpha is the ink, on a fully transparent background. */
    public static BufferedImage canvasDrawing(byte[] digit, int side) {
        float[] ink = upscaled(digit, side);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < ink.length; i++) {
            int a = Math.round(ink[i] * 255);
            img.setRGB(i % side, i / side, a << 24 | 0x10_10_30); // dark blue pen
        }
        return img;
    }

    /**
     * A photo of the digit written on paper: {@code side}×{@code side}, dark ink on light grey
     * paper with an uneven tone, Gaussian grain, the digit off-centre at a third of the picture.
     */
    public static BufferedImage paperPhoto(byte[] digit, int side, long seed) {
        Random rnd = new Random(seed);
        int digitSide = side / 3;
        float[] ink = upscaled(digit, digitSide);
        int ox = side / 8 + rnd.nextInt(side / 3);
        int oy = side / 8 + rnd.nextInt(side / 3);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double paper = 0.86 + 0.06 * x / side - 0.04 * y / side; // lighting gradient
                double v = paper;
                int dx = x - ox;
                int dy = y - oy;
                if (dx >= 0 && dy >= 0 && dx < digitSide && dy < digitSide) {
                    v = paper * (1 - 0.85 * ink[dy * digitSide + dx]);
                }
                v += rnd.nextGaussian() * 0.03;
                int g = (int) Math.max(0, Math.min(255, Math.round(v * 255)));
                img.setRGB(x, y, (g << 16) | (Math.min(255, g + 4) << 8) | Math.max(0, g - 6));
            }
        }
        return img;
    }

    /** The digit in a 16-colour grey palette (palette GIF/PNG input). */
    public static BufferedImage paletteImage(byte[] digit, int side) {
        byte[] levels = new byte[16];
        for (int i = 0; i < 16; i++) {
            levels[i] = (byte) (255 - i * 17); // index 0 = white paper, 15 = black ink
        }
        IndexColorModel palette = new IndexColorModel(4, 16, levels, levels, levels);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_INDEXED, palette);
        float[] ink = upscaled(digit, side);
        WritableRaster r = img.getRaster();
        for (int i = 0; i < ink.length; i++) {
            r.setSample(i % side, i / side, 0, Math.round(ink[i] * 15));
        }
        return img;
    }

    /** The digit as 16-bit grey, white on black. */
    public static BufferedImage grey16(byte[] digit) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int i = 0; i < 784; i++) {
            r.setSample(i % 28, i / 28, 0, (digit[i] & 0xFF) * 257);
        }
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and " + img);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] jpeg(BufferedImage img, float quality) {
        return writeJpeg(new IIOImage(img, null, null), quality);
    }

    /**
     * A CMYK JPEG, as print workflows and some scanners produce: four channels written from a raw
     * raster, with Adobe's APP14 marker (transform 0) that tells decoders the channels are CMYK,
     * stored inverted as Adobe does. K carries the ink, C/M/Y a faint tint. Without the marker
     * decoders would read the four channels as RGBA.
     */
    public static byte[] cmykJpeg(byte[] digit, int side) {
        float[] ink = upscaled(digit, side);
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, side, side, 4, null);
        for (int i = 0; i < ink.length; i++) {
            int x = i % side;
            int y = i / side;
            raster.setSample(x, y, 0, 255 - 20);
            raster.setSample(x, y, 1, 255 - 10);
            raster.setSample(x, y, 2, 255 - 30);
            raster.setSample(x, y, 3, 255 - Math.round(ink[i] * 240));
        }
        byte[] jpeg = writeJpeg(new IIOImage(raster, null, null), 0.9f);
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] out = new byte[jpeg.length + adobe.length];
        System.arraycopy(jpeg, 0, out, 0, 2); // SOI
        System.arraycopy(adobe, 0, out, 2, adobe.length);
        System.arraycopy(jpeg, 2, out, 2 + adobe.length, jpeg.length - 2);
        return out;
    }

    private static byte[] writeJpeg(IIOImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, image, param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** A PNG signature and a valid IHDR chunk claiming width×height, then IEND: no pixel data at all. */
    public static byte[] pngHeaderClaiming(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array();
        b.putInt(13).put(ihdr).putInt(crc(ihdr));
        byte[] iend = "IEND".getBytes(StandardCharsets.US_ASCII);
        b.putInt(0).put(iend).putInt(crc(iend));
        return b.array();
    }

    private static int crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return (int) crc.getValue();
    }
}
