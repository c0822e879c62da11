package io.digitflow.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, GIF and BMP through ImageIO (TwelveMonkeys adds CMYK/YCCK JPEG and more BMP
 * variants). The size is read from the header before any pixel is decoded ({@link ImageHeader}, the
 * rule the web's upload check applies too), so a decompression bomb is refused for the cost of its
 * header; very large images are subsampled while decoding because a 20-pixel digit needs no more
 * than ~1000 pixels of input.
 */
final class ImageDecoder {
    /** Longest side decoded at full resolution; larger images are subsampled by the reader. */
    static final int DECODE_LONGEST_SIDE = 1024;

    private ImageDecoder() {
    }

    static BufferedImage decode(byte[] bytes) throws RejectedImageException {
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new RejectedImageException(
                RejectReason.NOT_AN_IMAGE, "not a PNG, JPEG, GIF or BMP file (unrecognised first bytes)"));
        checkComplete(format, bytes);
        // An in-memory stream over the bytes, not ImageIO.createImageInputStream: with ImageIO's
        // default cache setting that creates, fills and deletes a temporary file for every image
        // (TwelveMonkeys' stream provider), which cost the scoring tasks a file create and unlink per
        // image and made decoding fail outright when the temp directory is not writable.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageHeader.reader(in, format);
            try {
                // The size rule, from the header alone: the same code the web's upload check runs.
                ImageHeader header = ImageHeader.declared(reader, format);
                long width = header.width();
                long height = header.height();
                ImageReadParam param = reader.getDefaultReadParam();
                int step = (int) (Math.max(width, height) / DECODE_LONGEST_SIDE);
                if (step >= 2) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(collectInto(warnings));
                BufferedImage image = reader.read(0, param);
                for (String w : warnings) {
                    if (ImageHeader.meansTruncated(w)) {
                        throw new RejectedImageException(RejectReason.TRUNCATED, "the file ends early (" + w + ")");
                    }
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw ImageHeader.unreadable(e, format);
        }
    }

    /**
     * Some decoders return a partly grey image for a truncated file instead of failing, so the
     * formats with an end marker are checked for it first.
     */
    private static void checkComplete(ImageFormat format, byte[] b) throws RejectedImageException {
        boolean complete = switch (format) {
            // IEND is the last chunk; tolerate a little trailing data after it.
            case PNG -> lastIndexOf(b, new byte[] {'I', 'E', 'N', 'D'}, 1024) >= 0;
            // GIF's trailer byte 0x3B, possibly followed by padding zeros.
            case GIF -> lastNonZero(b) == 0x3B;
            // BMP: the header's file size, when set, must fit in the data.
            case BMP -> b.length >= 6 && (littleEndianInt(b, 2) == 0 || littleEndianInt(b, 2) <= b.length);
            // JPEG decoders warn "Premature end of JPEG file"; handled by the warning listener.
            case JPEG -> true;
        };
        if (!complete) {
            throw new RejectedImageException(RejectReason.TRUNCATED, "the " + format + " file ends before its end marker");
        }
    }

    private static IIOReadWarningListener collectInto(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }

    private static int lastIndexOf(byte[] data, byte[] pattern, int window) {
        int from = Math.max(0, data.length - window);
        for (int i = data.length - pattern.length; i >= from; i--) {
            boolean match = true;
            for (int j = 0; j < pattern.length && match; j++) {
                match = data[i + j] == pattern[j];
            }
            if (match) {
                return i;
            }
        }
        return -1;
    }

    private static int lastNonZero(byte[] data) {
        for (int i = data.length - 1; i >= 0; i--) {
            if (data[i] != 0) {
                return data[i] & 0xFF;
            }
        }
        return -1;
    }

    private static long littleEndianInt(byte[] b, int offset) {
        return (b[offset] & 0xFFL) | (b[offset + 1] & 0xFFL) << 8 | (b[offset + 2] & 0xFFL) << 16 | (b[offset + 3] & 0xFFL) << 24;
    }
}
