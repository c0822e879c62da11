package io.digitflow.bench;

import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelStore;
import io.digitflow.model.NativeThreads;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.pipeline.scoring.ScorePartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's ceiling: read, decode, preprocess and score every PNG of a folder in one JVM
 * without Spark or Cassandra, with the project's own Preprocessor and DigitClassifier in batches
 * of the pipeline's size, split over T threads with one classifier each (as Spark's tasks are).
 * Warmed up first (class loading, JIT, nd4j's native buffers), so it is the best this code can do.
 *
 * <pre>CeilingBenchmark DIR MODELS_DIR REPEATS T:N...</pre> runs each configuration (T scoring
 * threads with N native nd4j/BLAS threads each; the pipeline's Spark tasks run like {@code 2:1})
 * REPEATS times, interleaved so that machine noise hits all of them alike, printing
 * {@code run threads=T native=N files=F seconds=S rate=R correct=C} per run and then
 * {@code ceiling config=T:N rate=R} with the best configuration's median rate: on a shared box a
 * single run swung by ±20%, and the largest of many noisy runs would overstate the ceiling.
 */
public final class CeilingBenchmark {
    private CeilingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = DigitFiles.list(Path.of(args[0]));
        ModelStore.LoadedModel model = new ModelStore(Path.of(args[1])).loadLatest();
        int repeats = Integer.parseInt(args[2]);
        List<String> configs = List.of(args).subList(3, args.length);
        run(files.subList(0, Math.min(files.size(), 8 * ScorePartition.BATCH)), model, 2, 1); // warm-up
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (int r = 0; r < repeats; r++) {
            for (String config : configs) {
                String[] tn = config.split(":");
                int threads = Integer.parseInt(tn[0]);
                int nativeThreads = tn.length > 1 ? Integer.parseInt(tn[1]) : Runtime.getRuntime().availableProcessors();
                long start = System.nanoTime();
                int correct = run(files, model, threads, nativeThreads);
                double seconds = (System.nanoTime() - start) / 1e9;
                rates.computeIfAbsent(config, c -> new double[repeats])[r] = files.size() / seconds;
                System.out.printf("run threads=%d native=%d files=%d seconds=%.2f rate=%.0f correct=%d%n",
                        threads, nativeThreads, files.size(), seconds, files.size() / seconds, correct);
            }
        }
        String best = null;
        double bestMedian = 0;
        for (var e : rates.entrySet()) {
            double[] sorted = e.getValue().clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            System.out.printf("config %s median_rate=%.0f min=%.0f max=%.0f%n", e.getKey(), median, sorted[0], sorted[sorted.length - 1]);
            if (median > bestMedian) {
                bestMedian = median;
                best = e.getKey();
            }
        }
        System.out.printf("ceiling config=%s rate=%.0f%n", best, bestMedian);
    }

    /** Scores the files on {@code threads} threads, contiguous slices each; returns how many were right. */
    static int run(List<Path> files, ModelStore.LoadedModel model, int threads, int nativeThreads) throws Exception {
        return Slices.inParallel(files, threads, slice -> {
            NativeThreads.limitTo(nativeThreads);
            return score(slice, DigitClassifier.fromBytes(model.version(), model.networkFile()));
        }).stream().mapToInt(Integer::intValue).sum();
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
