package io.digitflow.pipeline.stream;

import io.digitflow.inbox.Inbox;
import io.digitflow.pipeline.scoring.ScorePartition;
import io.digitflow.pipeline.scoring.ScoredRows;
import io.digitflow.pipeline.scoring.ScoringSession;
import io.digitflow.pipeline.scoring.ScoringStep;
import io.digitflow.pipeline.metrics.PipelineMetrics;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.PredictionTable;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.util.DoubleAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming query over the inbox, source to sink in one screen: Spark's file source lists new
 * files (never reading them), each micro-batch is scored and stored by one Spark job or, when it
 * holds only a few files, on the driver ({@link ScoringStep}), and the driver then moves the
 * batch's files out of the inbox.
 */
final class InboxQuery {
    private static final Logger LOG = LoggerFactory.getLogger(InboxQuery.class);
    /** Spark skips files this much older than the newest it has seen (7 days by default): never, here. */
    static final String NO_AGE_LIMIT = "36500d";

    private InboxQuery() {
    }

    /** The files that appear under {@code dir}, listed (name, time, size), never read: the stream's source. */
    static Dataset<Row> newFiles(SparkSession spark, Path dir, int maxFilesPerBatch) {
        return spark.readStream()
                .format("binaryFile")
                .schema(ScoredRows.BINARY_FILE)
                .option("recursiveFileLookup", "true")
                .option("maxFilesPerTrigger", maxFilesPerBatch)
                .option("maxFileAge", NO_AGE_LIMIT)
                .load(dir.toString())
                // Part of the streaming plan, so Spark prunes the content column from its file scan:
                // a micro-batch's DataFrame in foreachBatch is already planned, a select there is too late.
                .select(ScoredRows.LISTED[0], ScoredRows.LISTED[1], ScoredRows.LISTED[2]);
    }

    static StreamingQuery start(ScoringSession scoring, StreamOptions options) throws TimeoutException {
        ProcessedFiles processed = new ProcessedFiles(new Inbox(options.inbox()), options.archive(), options.quarantine());
        FreeSpace disk = new FreeSpace(options.inbox(), options.minFreeBytes());
        ScorePartition.Inputs inputs = new ScorePartition.Inputs(options.inbox(), Source.drop, options.maxFileBytes());
        Dataset<Row> files = newFiles(scoring.spark(), options.inbox(), options.maxFiles());
        DoubleAccumulator waited = scoring.spark().sparkContext().doubleAccumulator("waited on Cassandra");
        VoidFunction2<Dataset<Row>, Long> perBatch = (batch, batchId) -> {
            disk.awaitFloor();
            waited.reset();
            ScorePartition scorer = new ScorePartition(scoring.models().current(), scoring.cassandra(), inputs, null, waited);
            long start = System.nanoTime();
            ScoringStep.Scored scored = ScoringStep.score(scoring.spark(), batch, scorer, options.driverMaxFiles());
            List<Row> written = scored.rows();
            long stored = System.nanoTime();
            processed.settle(written);
            long settled = System.nanoTime();
            for (Row row : written) {
                String reason = row.getAs(PredictionTable.REASON);
                PipelineMetrics.FILES.labelValues(row.getAs(PredictionTable.STATUS), reason == null ? "" : reason).inc();
            }
            if (!written.isEmpty()) {
                // Logged here, before the batch commits, so that whoever counts these lines (tests,
                // benchmarks) sees every stored file once, in step with its row.
                LOG.info("stream: batch {} scored {} files {} in {} ms (its tasks waited {} ms on Cassandra), "
                        + "moved them out of the inbox in {} ms", batchId, written.size(),
                        scored.onDriver() ? "on the driver" : "in a Spark job", (stored - start) / 1_000_000,
                        Math.round(waited.sum() * 1000), (settled - stored) / 1_000_000);
            }
        };
        return files.writeStream()
                .queryName("digitflow-inbox")
                .option("checkpointLocation", options.checkpoint().toString())
                .foreachBatch(perBatch)
                // Each look lists the inbox: back to back (Spark's default) it kept a fifth of a core
                // busy on an idle, empty inbox.
                .trigger(Trigger.ProcessingTime(options.pollMillis(), TimeUnit.MILLISECONDS))
                .start();
    }
}
