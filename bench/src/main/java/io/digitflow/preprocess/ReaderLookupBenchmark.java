package io.digitflow.preprocess;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * What finding an image's decoder costs beside decoding and preprocessing it, in one JVM, rounds
 * interleaved: ImageIO asked for any reader that takes the stream (every registered reader of every
 * format answers) against {@link ImageHeader#reader} (only the sniffed format's readers).
 * usage: ReaderLookupBenchmark DIR [ROUNDS]   (DIR: image files, e.g. bench/pipeline.sh's digits)
 */
public final class ReaderLookupBenchmark {
    private ReaderLookupBenchmark() {
    }

    interface Step {
        void run(byte[] image) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path f : files.sorted().toList()) {
                images.add(Files.readAllBytes(f));
            }
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[] names = {"any reader (ImageIO.getImageReaders)", "the sniffed format's readers", "decode", "preprocess"};
        Step[] steps = {
            image -> dispose(anyReader(image)),
            image -> dispose(ImageHeader.reader(stream(image), ImageFormat.sniff(image).orElseThrow())),
            ImageDecoder::decode,
            Preprocessor::preprocess,
        };
        double[][] micros = new double[steps.length][rounds + 1];
        for (int round = 0; round <= rounds; round++) { // round 0 warms up
            for (int s = 0; s < steps.length; s++) {
                long start = System.nanoTime();
                for (byte[] image : images) {
                    steps[s].run(image);
                }
                micros[s][round] = (System.nanoTime() - start) / 1e3 / images.size();
            }
        }
        System.out.printf("%,d images from %s, %d rounds after one warm-up; microseconds per image (median, min-max)%n",
                images.size(), args[0], rounds);
        for (int s = 0; s < steps.length; s++) {
            double[] r = Arrays.copyOfRange(micros[s], 1, rounds + 1);
            Arrays.sort(r);
            System.out.printf("%-40s %8.1f  (%.1f-%.1f)%n", names[s], r[r.length / 2], r[0], r[r.length - 1]);
        }
    }

    private static ImageInputStream stream(byte[] image) {
        return new MemoryCacheImageInputStream(new ByteArrayInputStream(image));
    }

    private static ImageReader anyReader(byte[] image) throws IOException {
        ImageInputStream in = stream(image);
        ImageReader reader = ImageIO.getImageReaders(in).next();
        reader.setInput(in, true, true);
        return reader;
    }

    private static void dispose(ImageReader reader) throws IOException {
        ((ImageInputStream) reader.getInput()).close();
        reader.dispose();
    }
}
