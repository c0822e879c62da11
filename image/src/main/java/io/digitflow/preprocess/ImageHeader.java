package io.digitflow.preprocess;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * The size an image declares in its header, read without decoding a pixel, and the one size rule
 * of digitflow: the stream's decoder and the web's upload check both go through
 * {@link #declared(ImageReader, ImageFormat)}, so a decompression bomb is refused the same way at
 * the door and in the pipeline.
 */
public record ImageHeader(ImageFormat format, long width, long height) {
    /** More pixels than this is refused, whatever the file's size in bytes (a small file can declare 900 megapixels). */
    public static final long MAX_PIXELS = 40_000_000L;
    /** Each format's reader providers, in ImageIO's order of preference, looked up once. */
    private static final Map<ImageFormat, List<ImageReaderSpi>> READERS = readersByFormat();

    /** What reading a header gave: the header, or why the image would be refused. */
    public record Reading(ImageHeader header, RejectReason reason, String detail) {
        public boolean isOk() {
            return header != null;
        }

        static Reading ok(ImageHeader header) {
            return new Reading(header, null, null);
        }

        static Reading rejected(RejectReason reason, String detail) {
            return new Reading(null, reason, detail);
        }
    }

    /**
     * Reads the header of the image in {@code file} (only the first bytes and the header, never the
     * pixels) and applies the size rule. Never throws for bad input.
     */
    public static Reading read(Path file) {
        ImageFormat format = null;
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            byte[] head = new byte[ImageFormat.SNIFF_BYTES];
            int n = 0;
            for (int r; n < head.length && (r = in.read(head, n, head.length - n)) > 0; ) {
                n += r;
            }
            format = ImageFormat.sniff(head, n).orElse(null);
            if (format == null) {
                return Reading.rejected(RejectReason.NOT_AN_IMAGE, "not a PNG, JPEG, GIF or BMP file (unrecognised first bytes)");
            }
            in.seek(0);
            ImageReader reader = reader(in, format);
            try {
                return Reading.ok(declared(reader, format));
            } finally {
                reader.dispose();
            }
        } catch (RejectedImageException e) {
            return Reading.rejected(e.reason(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            RejectedImageException r = unreadable(e, format);
            return Reading.rejected(r.reason(), r.getMessage());
        }
    }

    /**
     * The decoder for this stream of a sniffed format, positioned at its start; {@code unsupported}
     * if none takes it. Only the readers of that format are asked, in ImageIO's order of preference
     * (TwelveMonkeys' before the JDK's), instead of every registered reader of every format.
     */
    static ImageReader reader(ImageInputStream in, ImageFormat format) throws IOException, RejectedImageException {
        for (ImageReaderSpi provider : READERS.get(format)) {
            if (provider.canDecodeInput(in)) {
                ImageReader reader = provider.createReaderInstance();
                reader.setInput(in, true, true);
                return reader;
            }
        }
        throw new RejectedImageException(RejectReason.UNSUPPORTED, "no decoder for this " + format + " variant");
    }

    private static Map<ImageFormat, List<ImageReaderSpi>> readersByFormat() {
        Map<ImageFormat, List<ImageReaderSpi>> readers = new EnumMap<>(ImageFormat.class);
        for (ImageFormat format : ImageFormat.values()) {
            List<ImageReaderSpi> providers = new ArrayList<>();
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT)); it.hasNext(); ) {
                ImageReader reader = it.next();
                providers.add(reader.getOriginatingProvider());
                reader.dispose();
            }
            readers.put(format, List.copyOf(providers));
        }
        return readers;
    }

    /** The rule: the declared size, read from the header alone, refused when empty or above {@link #MAX_PIXELS}. */
    static ImageHeader declared(ImageReader reader, ImageFormat format) throws IOException, RejectedImageException {
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > MAX_PIXELS) {
            throw new RejectedImageException(RejectReason.TOO_LARGE, String.format(Locale.ROOT,
                    "%d×%d is %.1f megapixels; the limit is %d", width, height, width * height / 1e6, MAX_PIXELS / 1_000_000));
        }
        if (width <= 0 || height <= 0) {
            throw new RejectedImageException(RejectReason.NOT_AN_IMAGE, "the header declares an empty image");
        }
        return new ImageHeader(format, width, height);
    }

    /**
     * Decoders signal corrupt data with all kinds of exceptions (IIOException, EOFException,
     * ArrayIndexOutOfBounds, IllegalArgument...): sorted into the two reasons a user can act on.
     */
    static RejectedImageException unreadable(Exception e, ImageFormat format) {
        if (hasCause(e, EOFException.class) || meansTruncated(String.valueOf(e.getMessage()))) {
            return new RejectedImageException(RejectReason.TRUNCATED, "the file ends early (" + e.getMessage() + ")");
        }
        return new RejectedImageException(RejectReason.NOT_AN_IMAGE, "the " + (format == null ? "image" : format) + " data is corrupt (" + e + ")");
    }

    static boolean meansTruncated(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("premature end") || m.contains("truncat") || m.contains("unexpected end")
                || m.contains("end of file") || m.contains("eof");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
