package io.digitflow.cluster;

import io.digitflow.mnist.Mnist;
import io.digitflow.testkit.DigitImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the first N MNIST test digits as 28×28 PNGs named {@code <index>-<label>.png}, the input
 * of the cluster benchmarks (bench/spark-cluster.sh, bench/cassandra-cluster.sh). The label in the
 * name lets {@link RowCheck} tell whether the rows it finds were really scored, not just written.
 *
 * <pre>MnistPngs DIR N</pre>
 */
public final class MnistPngs {
    private MnistPngs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: MnistPngs DIR N");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Mnist.DataSet test = DigitImages.mnistTest();
        if (count < 1 || count > test.size()) {
            throw new IllegalArgumentException("N must be 1.." + test.size() + ", got " + count);
        }
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            byte[] png = DigitImages.encode(DigitImages.mnistGrey(test.image(i)), "png");
            Files.write(dir.resolve(fileName(i, test.label(i))), png);
        }
        System.err.printf("wrote %,d MNIST test digits as PNG to %s%n", count, dir);
    }

    static String fileName(int index, int label) {
        return String.format("%05d-%d.png", index, label);
    }

    /** The label a file name written by this class carries. */
    static int labelOf(String fileName) {
        String base = Path.of(fileName).getFileName().toString();
        int dash = base.lastIndexOf('-');
        int dot = base.lastIndexOf('.');
        if (dash < 0 || dot != dash + 2) {
            throw new IllegalArgumentException("not a name written by MnistPngs: " + fileName);
        }
        return Character.digit(base.charAt(dash + 1), 10);
    }
}
