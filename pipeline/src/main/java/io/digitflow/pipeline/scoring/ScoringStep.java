package io.digitflow.pipeline.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scoring step over listed files, on the driver for a handful or as one Spark job, and
 * makes sure no single file can fail it: if the attempt fails for any reason but Cassandra, the
 * files are scored again in halves until the one that fails alone is found and set aside
 * ({@link PoisonIsolation}).
 */
public final class ScoringStep {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringStep.class);
    /**
     * The driver's scoring thread: one long-lived thread, so that its classifier ({@link Classifiers}
     * keeps one per thread) is restored once, not by every query thread a restart makes.
     */
    private static final ExecutorService ON_DRIVER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "score-on-driver");
        thread.setDaemon(true);
        return thread;
    });
    /** Files per task, at least and at most: each task ends by waiting for its last writes (~40 ms). */
    static final int MIN_TASK_FILES = 256;
    static final int MAX_TASK_FILES = 4096;

    private ScoringStep() {
    }

    /** A listing's {@link ScoredRows} rows, and whether the driver scored them itself. */
    public record Scored(List<Row> rows, boolean onDriver) {
    }

    /**
     * @param listed         a binaryFile listing, {@link ScoredRows#LISTED} columns only
     * @param driverMaxFiles at most this many files are scored on the driver, without a job: a job
     *                       costs 130-600 ms of scheduling on two cores, a handful of files a few ms
     * @return one {@link ScoredRows} row per file that was there to be scored
     */
    public static Scored score(SparkSession spark, Dataset<Row> listed, ScorePartition scorer, int driverMaxFiles) {
        Optional<List<Row>> found = ListedFiles.of(listed);
        if (found.isEmpty()) { // a plan of a kind ListedFiles does not know: a job over Spark's own scan
            return new Scored(isolating(() -> inJob(listed, scorer), listed::collectAsList,
                    part -> inTasks(spark, part, scorer), scorer), false);
        }
        List<Row> files = found.get();
        if (files.size() <= driverMaxFiles) {
            return new Scored(isolating(() -> onDriver(files, scorer), () -> files, part -> onDriver(part, scorer), scorer), true);
        }
        return new Scored(isolating(() -> inTasks(spark, files, scorer), () -> files, part -> inTasks(spark, part, scorer), scorer),
                false);
    }

    /**
     * How many tasks score {@code files} files on {@code parallelism} task slots: a multiple of the
     * slots, so that no task runs alone at the end while the other slots idle, and at least four
     * rounds of them (a slot slowed by the node or the driver falls behind by one small task, not
     * half the batch), within {@link #MIN_TASK_FILES}..{@link #MAX_TASK_FILES} files a task.
     */
    static int tasksFor(int files, int parallelism) {
        int perTask = Math.max(MIN_TASK_FILES, Math.min(MAX_TASK_FILES, files / (4 * parallelism)));
        int rounds = Math.max(1, (files + parallelism * perTask - 1) / (parallelism * perTask));
        return Math.min(files, parallelism * rounds);
    }

    private static List<Row> isolating(Supplier<List<Row>> whole, Supplier<List<Row>> listing,
            Function<List<Row>, List<Row>> attempt, ScorePartition scorer) {
        try {
            return whole.get();
        } catch (RuntimeException e) {
            if (Failures.fromCassandra(e)) {
                throw e;
            }
            List<Row> files = listing.get();
            LOG.warn("scoring {} files failed ({}): finding the file that makes it fail", files.size(), Failures.describe(e, "?"));
            return PoisonIsolation.run(files, attempt, failure -> !Failures.fromCassandra(failure), scorer::setAside);
        }
    }

    /** One job over the listed rows, cut into {@link #tasksFor} tasks. */
    private static List<Row> inTasks(SparkSession spark, List<Row> files, ScorePartition scorer) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return collecting(() -> context.parallelize(files, tasksFor(files.size(), context.defaultParallelism()))
                .mapPartitions(scorer::call)
                .collect());
    }

    private static List<Row> inJob(Dataset<Row> listed, ScorePartition scorer) {
        return collecting(() -> listed.mapPartitions(scorer, Encoders.row(ScoredRows.SCHEMA)).collectAsList());
    }

    /** Spark's SparkException is checked in Java's eyes but thrown undeclared: rethrown unchecked. */
    private static List<Row> collecting(Supplier<List<Row>> job) {
        try {
            return job.get();
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    private static List<Row> onDriver(List<Row> listed, ScorePartition scorer) {
        try {
            return ON_DRIVER.submit(() -> {
                List<Row> rows = new ArrayList<>(listed.size());
                scorer.call(listed.iterator()).forEachRemaining(rows::add);
                return rows;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring on the driver", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof VirtualMachineError fatal) {
                throw fatal; // as an executor would, the JVM goes down rather than limp on
            }
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        }
    }
}
