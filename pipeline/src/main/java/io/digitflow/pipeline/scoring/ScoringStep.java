package io.digitflow.pipeline.scoring;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scoring step over listed files as one Spark job, and makes sure no single file can
 * fail it: if the job fails for any reason but Cassandra, the files are scored again in halves
 * until the one that fails alone is found and set aside ({@link PoisonIsolation}).
 */
public final class ScoringStep {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringStep.class);

    private ScoringStep() {
    }

    /**
     * @param listed a binaryFile listing, {@link ScoredRows#LISTED} columns only
     * @return one {@link ScoredRows} row per file that was there to be scored
     */
    public static List<Row> score(SparkSession spark, Dataset<Row> listed, ScorePartition scorer) {
        try {
            return run(listed, scorer);
        } catch (RuntimeException e) {
            if (Failures.fromCassandra(e)) {
                throw e;
            }
            List<Row> files = listed.collectAsList(); // the listing again: names, not contents
            LOG.warn("scoring {} files failed ({}): finding the file that makes it fail", files.size(), Failures.describe(e, "?"));
            return PoisonIsolation.run(files, part -> run(spark.createDataFrame(part, ScoredRows.LISTED_SCHEMA), scorer),
                    failure -> !Failures.fromCassandra(failure), scorer::setAside);
        }
    }

    private static List<Row> run(Dataset<Row> listed, ScorePartition scorer) {
        try {
            return listed.mapPartitions(scorer, Encoders.row(ScoredRows.SCHEMA)).collectAsList();
        } catch (Exception e) { // Spark's SparkException is checked in Java's eyes but thrown undeclared
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }
}
