package io.digitflow.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Path imageFile(int magic, int count, int rows, int cols, int payloadBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + payloadBytes);
        b.putInt(magic).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < payloadBytes; i++) {
            b.put((byte) (i * 7));
        }
        Path f = dir.resolve("images-" + magic + "-" + payloadBytes);
        Files.write(f, b.array());
        return f;
    }

    @Test
    void readsAWellFormedImageFile() throws IOException {
        Path f = imageFile(IdxReader.IMAGES_MAGIC, 3, 2, 2, 12);
        IdxReader.Images images = IdxReader.readImages(f);
        assertEquals(3, images.count());
        assertEquals(4, images.imageSize());
        byte[] expected = new byte[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = (byte) (i * 7);
        }
        assertArrayEquals(expected, images.pixels());
    }

    @Test
    void wrongMagicNumberIsRefusedWithTheNumbersInTheMessage() throws IOException {
        Path labelsGivenAsImages = imageFile(IdxReader.LABELS_MAGIC, 3, 2, 2, 12);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(labelsGivenAsImages));
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void truncatedImageFileIsRefusedNotReadPartially() throws IOException {
        Path f = imageFile(IdxReader.IMAGES_MAGIC, 3, 2, 2, 10); // 2 bytes short
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("12 bytes") && e.getMessage().contains("10 bytes"),
                e.getMessage());
    }

    @Test
    void fileShorterThanItsHeaderIsTruncated() throws IOException {
        Path f = dir.resolve("tiny");
        Files.write(f, new byte[] {0, 0, 8, 3, 0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void labelsMustBeDigits() throws IOException {
        Path f = dir.resolve("labels");
        Files.write(f, ByteBuffer.allocate(11).putInt(IdxReader.LABELS_MAGIC).putInt(3).put((byte) 1).put((byte) 12).put((byte) 3).array());
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().contains("label 1 is 12"), e.getMessage());
    }

    @Test
    void truncatedLabelFileIsRefused() throws IOException {
        Path f = dir.resolve("labels-short");
        Files.write(f, ByteBuffer.allocate(10).putInt(IdxReader.LABELS_MAGIC).putInt(5).put((byte) 1).put((byte) 2).array());
        assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(f));
    }

    @Test
    void missingMnistNamesTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Mnist(dir).load(Mnist.Split.TEST));
        assertTrue(e.getMessage().contains("bin/digitflow mnist"), e.getMessage());
    }

    @Test
    void theRealTestSetHasTenThousandDigitsOfEveryClass() {
        Mnist.DataSet test = new Mnist(io.digitflow.testkit.TestHome.root().resolve("var/mnist")).load(Mnist.Split.TEST);
        assertEquals(10_000, test.size());
        assertEquals(784, test.images().imageSize());
        int[] perClass = new int[10];
        for (int i = 0; i < test.size(); i++) {
            perClass[test.label(i)]++;
        }
        // MNIST's published class counts of the test set.
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, perClass, Arrays.toString(perClass));
        float[] first = test.normalized(0);
        assertTrue(first[0] == 0f && Arrays.stream(toDoubles(first)).max().orElse(0) == 1.0, "pixels are byte/255 with ink at 1.0");
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
