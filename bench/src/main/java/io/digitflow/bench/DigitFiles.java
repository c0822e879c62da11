package io.digitflow.bench;

import io.digitflow.mnist.Mnist;
import io.digitflow.testkit.DigitImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pipeline benchmarks' input: MNIST test digits written as 28×28 PNG files, named
 * {@code <index>-<label>.png} so a result can be checked against its label.
 *
 * <pre>DigitFiles DIR FIRST COUNT</pre> writes digits FIRST..FIRST+COUNT-1 into DIR (kept if present).
 */
public final class DigitFiles {
    private DigitFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        if (list(dir).size() == count) {
            System.err.println("digit files: " + count + " PNGs already in " + dir);
            return;
        }
        Files.createDirectories(dir);
        Mnist.DataSet test = DigitImages.mnistTest();
        // Past the test set's 10,000 digits the same digits come again, under names of their own.
        for (int i = first; i < first + count; i++) {
            int digit = i % test.size();
            Files.write(dir.resolve(name(i, test.label(digit))), DigitImages.encode(DigitImages.mnistGrey(test.image(digit)), "png"));
        }
        System.err.println("digit files: wrote " + count + " PNGs to " + dir);
    }

    static String name(int index, int label) {
        return String.format("%05d-%d.png", index, label);
    }

    /** The label a file's name carries. */
    static int labelOf(Path file) {
        String n = file.getFileName().toString();
        return n.charAt(n.indexOf('-') + 1) - '0';
    }

    /** The PNG files of DIR, sorted by name. */
    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
