package io.digitflow.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The MNIST data set as fetched by {@code bin/digitflow mnist} into {@code var/mnist}: the 60,000
 * training and 10,000 test images with their labels.
 */
public final class Mnist {
    public enum Split {
        TRAIN("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        TEST("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

        final String imagesFile;
        final String labelsFile;

        Split(String imagesFile, String labelsFile) {
            this.imagesFile = imagesFile;
            this.labelsFile = labelsFile;
        }
    }

    /** Images and labels of one split, index-aligned. */
    public record DataSet(IdxReader.Images images, byte[] labels) {
        public DataSet {
            if (images.count() != labels.length) {
                throw new IdxFormatException(images.count() + " images but " + labels.length + " labels");
            }
        }

        public int size() {
            return labels.length;
        }

        /** Image i as bytes 0-255 (row-major 28×28). */
        public byte[] image(int i) {
            int n = images.imageSize();
            byte[] out = new byte[n];
            System.arraycopy(images.pixels(), i * n, out, 0, n);
            return out;
        }

        /** Image i as MNIST's network input: byte/255 in [0,1]. */
        public float[] normalized(int i) {
            int n = images.imageSize();
            float[] out = new float[n];
            byte[] px = images.pixels();
            for (int j = 0; j < n; j++) {
                out[j] = (px[i * n + j] & 0xFF) / 255f;
            }
            return out;
        }

        public int label(int i) {
            return labels[i];
        }
    }

    private final Path dir;

    public Mnist(Path dir) {
        this.dir = dir;
    }

    /** MNIST under {@code <home>/var/mnist}, or {@code DIGITFLOW_MNIST} when set. */
    public static Mnist under(Path home) {
        String override = System.getenv("DIGITFLOW_MNIST");
        return new Mnist(override != null && !override.isBlank() ? home.resolve(override) : home.resolve("var/mnist"));
    }

    public Path dir() {
        return dir;
    }

    public DataSet load(Split split) {
        Path images = dir.resolve(split.imagesFile);
        Path labels = dir.resolve(split.labelsFile);
        if (!Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            throw new IllegalStateException("MNIST is not in " + dir + " (missing " + split.imagesFile + " or "
                    + split.labelsFile + "): run `bin/digitflow mnist` to fetch it");
        }
        return new DataSet(IdxReader.readImages(images), IdxReader.readLabels(labels));
    }

    /** SHA-256 over the four files in a fixed order: recorded in model metadata as {@code mnist_sha256}. */
    public String sha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Split split : Split.values()) {
                for (String name : new String[] {split.imagesFile, split.labelsFile}) {
                    try (InputStream in = Files.newInputStream(dir.resolve(name))) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            digest.update(buffer, 0, n);
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash MNIST in " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
