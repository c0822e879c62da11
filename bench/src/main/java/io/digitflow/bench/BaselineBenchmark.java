package io.digitflow.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.config.Settings;
import io.digitflow.inbox.Inbox;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelStore;
import io.digitflow.model.NativeThreads;
import io.digitflow.pipeline.scoring.ScorePartition;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.Prediction;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.Prediction.Status;
import io.digitflow.results.PredictionWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The program a user would write instead of the pipeline: one JVM that reads the same files,
 * identifies, decodes, preprocesses and scores them with the project's own code in batches of the
 * pipeline's size on T threads (one classifier each), and writes the same rows, inputs included,
 * with the plain Cassandra driver at the configured consistency, through the same bulk writer.
 * What it leaves out is exactly what the pipeline adds: Spark (listing, planning, tasks,
 * checkpoint) and moving files out of the inbox. Warmed up first by the stream's rule ({@link #warmUp});
 * each measured run starts on emptied tables ({@link EmptyTables}), as the pipeline's do.
 *
 * <pre>BaselineBenchmark DIR MODELS_DIR REPEATS [THREADS]</pre> prints
 * {@code baseline run threads=T files=F seconds=S rate=R} per run, then
 * {@code baseline rate=R} (the median), and the CPU seconds each run took by thread kind (and of
 * the node whose pid BENCH_CASSANDRA_PID names, if set). Cassandra: DIGITFLOW_CASSANDRA.
 */
public final class BaselineBenchmark {
    private BaselineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath().normalize();
        List<Path> files = DigitFiles.list(dir);
        ModelStore.LoadedModel model = new ModelStore(Path.of(args[1])).loadLatest();
        int repeats = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Settings settings = Settings.fromEnvironment();
        try (CqlSession session = CassandraSessions.open(settings)) {
            warmUp(dir, files, model, threads, session, settings);
            double[] rates = new double[repeats];
            ProcessCpu self = ProcessCpu.self();
            ProcessCpu cassandra = ProcessCpu.fromEnvironment("BENCH_CASSANDRA_PID");
            for (int r = 0; r < repeats; r++) {
                EmptyTables.empty(session);
                ProcessCpu.Usage cpu = ProcessCpu.Usage.from(self, cassandra);
                long start = System.nanoTime();
                double waited = run(dir, files, model, threads, session, settings);
                double seconds = (System.nanoTime() - start) / 1e9;
                rates[r] = files.size() / seconds;
                System.out.printf("baseline run threads=%d files=%d seconds=%.2f rate=%.0f%n", threads, files.size(), seconds, rates[r]);
                // The pool's threads end with the run, so the breakdown by thread leaves them out: process_s has them.
                System.out.printf("baseline cpu waited_on_cassandra_s=%.2f %s%n", waited, cpu.since());
            }
            System.out.printf("baseline rate=%.0f%n", Median.of(rates));
        }
    }

    /**
     * Rounds of {@value StreamBenchmark#WARM_UP_FILES} files until this JVM's compilers used less
     * than {@link CompilerTime#SETTLED_SHARE} of a core over a round: the rule the stream is warmed
     * by. (After a fixed 2,048 files, the compilers still took 2.7–3.4 CPU-s of a measured run.)
     */
    private static void warmUp(Path dir, List<Path> files, ModelStore.LoadedModel model, int threads, CqlSession session,
            Settings settings) throws Exception {
        List<Path> round = files.subList(0, Math.min(files.size(), StreamBenchmark.WARM_UP_FILES));
        new CompilerTime(ProcessHandle.current().pid()).warmUp("baseline warm-up", round.size(), CompilerTime.MAX_WARM_UP_ROUNDS,
                r -> run(dir, round, model, threads, session, settings));
    }

    /** @return the seconds the threads spent blocked on Cassandra writes, summed */
    static double run(Path dir, List<Path> files, ModelStore.LoadedModel model, int threads, CqlSession session, Settings settings)
            throws Exception {
        return Slices.inParallel(files, threads, slice -> {
            NativeThreads.limitTo(1);
            PredictionWriter writer = new PredictionWriter(session, settings.consistency(), 64);
            score(dir, slice, DigitClassifier.fromBytes(model.version(), model.networkFile()), writer);
            return writer.secondsWaited();
        }).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void score(Path dir, List<Path> files, DigitClassifier classifier, PredictionWriter writer) {
        int batch = ScorePartition.BATCH;
        float[] pixels = new float[batch * Preprocessor.PIXELS];
        for (int from = 0; from < files.size(); from += batch) {
            List<Path> part = files.subList(from, Math.min(files.size(), from + batch));
            List<UUID> ids = new ArrayList<>(part.size());
            List<PreprocessResult> results = new ArrayList<>(part.size());
            int accepted = 0;
            for (Path file : part) {
                byte[] content = read(file);
                ids.add(Inbox.derivedId(Inbox.relativeName(dir, file), content));
                PreprocessResult r = Preprocessor.preprocess(content);
                if (r.isOk()) {
                    System.arraycopy(r.pixels(), 0, pixels, accepted++ * Preprocessor.PIXELS, Preprocessor.PIXELS);
                }
                results.add(r);
            }
            float[][] p = classifier.probabilities(pixels, accepted);
            Instant now = Instant.now();
            List<Prediction> rows = new ArrayList<>(part.size());
            int next = 0;
            for (int i = 0; i < part.size(); i++) {
                String name = Inbox.relativeName(dir, part.get(i));
                if (results.get(i).isOk()) {
                    float[] probabilities = p[next];
                    int predicted = DigitClassifier.argmax(probabilities);
                    List<Float> list = new ArrayList<>(10);
                    for (float v : probabilities) {
                        list.add(v);
                    }
                    rows.add(new Prediction(ids.get(i), name, Source.batch, Status.ok, null, predicted, probabilities[predicted], list,
                            classifier.version(), now, now).withPixels(Prediction.pixelBytes(pixels, next * Preprocessor.PIXELS)));
                    next++;
                } else {
                    rows.add(new Prediction(ids.get(i), name, Source.batch, Status.rejected, results.get(i).reason().code(), null, null,
                            null, classifier.version(), now, now));
                }
            }
            writer.write(rows);
        }
        writer.flush();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
