package io.digitflow.preprocess;

import java.util.Optional;

/**
 * The image formats digitflow accepts, recognised by their magic bytes (never by the file name,
 * which is user input).
 */
public enum ImageFormat {
    PNG("png", "image/png"),
    JPEG("jpg", "image/jpeg"),
    GIF("gif", "image/gif"),
    BMP("bmp", "image/bmp");

    /** How many leading bytes {@link #sniff} needs at most. */
    public static final int SNIFF_BYTES = 8;

    private final String extension;
    private final String mediaType;

    ImageFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format whose signature starts {@code header}, if any. */
    public static Optional<ImageFormat> sniff(byte[] header) {
        return sniff(header, header.length);
    }

    public static Optional<ImageFormat> sniff(byte[] header, int length) {
        if (startsWith(header, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(header, length, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(header, length, 'G', 'I', 'F', '8')) {
            return Optional.of(GIF);
        }
        if (startsWith(header, length, 'B', 'M')) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, int length, int... signature) {
        if (length < signature.length || data.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((data[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
