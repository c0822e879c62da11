package io.digitflow.mnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the IDX files MNIST is distributed in (big-endian header: magic, dimensions; then unsigned
 * bytes). The whole file is checked against its header before anything is returned, so a caller
 * never gets partial data from a truncated file.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803; // unsigned byte, 3 dimensions
    static final int LABELS_MAGIC = 0x00000801; // unsigned byte, 1 dimension

    private IdxReader() {
    }

    /** Images as one row-major byte array: image i, row r, column c at {@code i*rows*cols + r*cols + c}. */
    public record Images(int count, int rows, int columns, byte[] pixels) {
        public int imageSize() {
            return rows * columns;
        }
    }

    public static Images readImages(Path file) {
        ByteBuffer buf = ByteBuffer.wrap(readAll(file));
        checkMagic(file, buf, IMAGES_MAGIC, 16);
        int count = buf.getInt();
        int rows = buf.getInt();
        int columns = buf.getInt();
        if (count < 0 || rows <= 0 || columns <= 0) {
            throw new IdxFormatException(file + ": nonsensical dimensions " + count + "×" + rows + "×" + columns);
        }
        long expected = (long) count * rows * columns;
        checkLength(file, buf, expected, count + " images of " + rows + "×" + columns);
        byte[] pixels = new byte[(int) expected];
        buf.get(pixels);
        return new Images(count, rows, columns, pixels);
    }

    public static byte[] readLabels(Path file) {
        ByteBuffer buf = ByteBuffer.wrap(readAll(file));
        checkMagic(file, buf, LABELS_MAGIC, 8);
        int count = buf.getInt();
        if (count < 0) {
            throw new IdxFormatException(file + ": negative label count " + count);
        }
        checkLength(file, buf, count, count + " labels");
        byte[] labels = new byte[count];
        buf.get(labels);
        for (int i = 0; i < count; i++) {
            if (labels[i] < 0 || labels[i] > 9) {
                throw new IdxFormatException(file + ": label " + i + " is " + labels[i] + ", not a digit 0-9");
            }
        }
        return labels;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file, e);
        }
    }

    private static void checkMagic(Path file, ByteBuffer buf, int expected, int headerBytes) {
        if (buf.remaining() < headerBytes) {
            throw new IdxFormatException(file + " is truncated: " + buf.remaining()
                    + " bytes, shorter than the " + headerBytes + "-byte IDX header");
        }
        int magic = buf.getInt();
        if (magic != expected) {
            throw new IdxFormatException(String.format("%s: magic number 0x%08X is not an IDX %s file (expected 0x%08X)",
                    file, magic, expected == IMAGES_MAGIC ? "image" : "label", expected));
        }
    }

    private static void checkLength(Path file, ByteBuffer buf, long expected, String what) {
        if (buf.remaining() != expected) {
            throw new IdxFormatException(String.format("%s is %s: the header announces %s (%d bytes) but %d bytes follow",
                    file, buf.remaining() < expected ? "truncated" : "too long", what, expected, buf.remaining()));
        }
    }
}
