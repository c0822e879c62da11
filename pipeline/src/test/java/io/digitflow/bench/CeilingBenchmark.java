package io.digitflow.bench;

import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelStore;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.stream.ScorePartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The pipeline's ceiling: read, decode, preprocess and score every PNG of a folder in one JVM
 * without Spark or Cassandra, with the project's own Preprocessor and DigitClassifier in batches
 * of the pipeline's size, split over T threads with one classifier each (as Spark's tasks are).
 * Warmed up first (JIT, nd4j's native buffers), so it is the best this code can do here.
 *
 * <pre>CeilingBenchmark DIR MODELS_DIR THREADS...</pre> prints one line per thread count:
 * {@code ceiling threads=T files=N seconds=S rate=R correct=C}.
 */
public final class CeilingBenchmark {
    private CeilingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = DigitFiles.list(Path.of(args[0]));
        ModelStore.LoadedModel model = new ModelStore(Path.of(args[1])).loadLatest();
        run(files.subList(0, Math.min(files.size(), 2 * ScorePartition.BATCH)), model, 1); // warm-up
        for (int a = 2; a < args.length; a++) {
            int threads = Integer.parseInt(args[a]);
            long start = System.nanoTime();
            int correct = run(files, model, threads);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ceiling threads=%d files=%d seconds=%.2f rate=%.0f correct=%d%n",
                    threads, files.size(), seconds, files.size() / seconds, correct);
        }
    }

    /** Scores the files on {@code threads} threads, contiguous slices each; returns how many were right. */
    static int run(List<Path> files, ModelStore.LoadedModel model, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> slices = new ArrayList<>();
            int per = (files.size() + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                List<Path> slice = files.subList(Math.min(files.size(), t * per), Math.min(files.size(), (t + 1) * per));
                slices.add(pool.submit(() -> score(slice, DigitClassifier.fromBytes(model.version(), model.networkFile()))));
            }
            int correct = 0;
            for (Future<Integer> s : slices) {
                correct += s.get();
            }
            return correct;
        } finally {
            pool.shutdown();
        }
    }

    private static int score(List<Path> files, DigitClassifier classifier) {
        int batch = ScorePartition.BATCH;
        float[] pixels = new float[batch * Preprocessor.PIXELS];
        int[] labels = new int[batch];
        int correct = 0;
        for (int from = 0; from < files.size(); from += batch) {
            int accepted = 0;
            for (Path file : files.subList(from, Math.min(files.size(), from + batch))) {
                PreprocessResult r = Preprocessor.preprocess(read(file));
                if (r.isOk()) {
                    labels[accepted] = DigitFiles.labelOf(file);
                    System.arraycopy(r.pixels(), 0, pixels, accepted++ * Preprocessor.PIXELS, Preprocessor.PIXELS);
                }
            }
            float[][] p = classifier.probabilities(pixels, accepted);
            for (int i = 0; i < accepted; i++) {
                correct += DigitClassifier.argmax(p[i]) == labels[i] ? 1 : 0;
            }
        }
        return correct;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
