package io.digitflow.pipeline.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scoring step over listed files, as one Spark job or, for a few files, on the driver,
 * and makes sure no single file can fail it: if the attempt fails for any reason but Cassandra,
 * the files are scored again in halves until the one that fails alone is found and set aside
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

    private ScoringStep() {
    }

    /**
     * @param listed a binaryFile listing, {@link ScoredRows#LISTED} columns only
     * @return one {@link ScoredRows} row per file that was there to be scored
     */
    public static List<Row> score(SparkSession spark, Dataset<Row> listed, ScorePartition scorer) {
        return isolating(() -> inJob(listed, scorer), listed::collectAsList, // the listing again: names, not contents
                part -> inJob(spark.createDataFrame(part, ScoredRows.LISTED_SCHEMA), scorer), scorer);
    }

    /**
     * The same step without a Spark job, on the driver: for a handful of files, where scheduling a
     * job costs far more than the scoring. The driver must see the files, as it does to move them.
     *
     * @param listed rows as {@link ScoredRows#LISTED_SCHEMA}
     */
    public static List<Row> scoreOnDriver(List<Row> listed, ScorePartition scorer) {
        return isolating(() -> onDriver(listed, scorer), () -> listed, part -> onDriver(part, scorer), scorer);
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

    private static List<Row> inJob(Dataset<Row> listed, ScorePartition scorer) {
        try {
            return listed.mapPartitions(scorer, Encoders.row(ScoredRows.SCHEMA)).collectAsList();
        } catch (Exception e) { // Spark's SparkException is checked in Java's eyes but thrown undeclared
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
