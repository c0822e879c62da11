package io.digitflow.pipeline.stream;

import io.digitflow.inbox.Inbox;
import io.digitflow.pipeline.scoring.ScorePartition;
import io.digitflow.pipeline.scoring.ScoringStep;
import io.digitflow.pipeline.scoring.ScoringSession;
import io.digitflow.pipeline.scoring.WarmUpImages;
import io.digitflow.results.Prediction.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Runs the stream's own query, storing nothing, over warm-up images (page drawings and small
 * PNGs, one file per batch) in a scratch inbox with a scratch checkpoint, before the stream says it
 * is watching, and moves them out of it as a real batch's files are. Spark then generates and compiles the
 * micro-batch code (the file source's listing, the offset and commit logs, the plan), the driver's
 * scoring thread restores its network (one file is a batch scored on the driver, as a single upload
 * is), and the JIT compiles the reading, scoring and moving paths on these, not on the first
 * user's upload. No metric counts them and no row is written.
 */
final class StreamWarmUp {
    private StreamWarmUp() {
    }

    /**
     * Batches of the resumed run: the JIT compiles a method after it ran often enough, and with two
     * batches the first upload still took the planning and scoring paths cold (406 ms against 208
     * for later ones).
     */
    static final int RESUMED_BATCHES = 10;

    /** @param scratch a folder on the inbox's disk, created and deleted here */
    static void run(ScoringSession scoring, StreamOptions options, Path scratch) {
        Path inbox = scratch.resolve("inbox");
        ProcessedFiles processed = new ProcessedFiles(new Inbox(inbox), scratch.resolve("archive"), scratch.resolve("quarantine"));
        ScorePartition dry = new ScorePartition(scoring.models().current(), scoring.cassandra(),
                new ScorePartition.Inputs(inbox, Source.drop, options.maxFileBytes()), null, null).withoutStoring();
        VoidFunction2<Dataset<Row>, Long> settleDry = (batch, id) ->
                processed.settle(ScoringStep.score(scoring.spark(), batch, dry, options.driverMaxFiles()).rows());
        try {
            Files.createDirectories(inbox);
            // Two runs on one checkpoint: the second resumes from it, as the stream does after a
            // restart, and takes its files one batch each, as single uploads come.
            byte[][] images = {WarmUpImages.drawing(), WarmUpImages.digit()};
            int[] filesPerRun = {1, RESUMED_BATCHES};
            int written = 0;
            for (int files : filesPerRun) {
                for (int i = 0; i < files; i++, written++) {
                    Files.write(inbox.resolve("warm-up-" + written + ".png"), images[written % images.length]);
                }
                StreamingQuery query = InboxQuery.newFiles(scoring.spark(), inbox, 1).writeStream()
                        .queryName("digitflow-warm-up")
                        .option("checkpointLocation", scratch.resolve("checkpoint").toString())
                        .foreachBatch(settleDry)
                        .trigger(Trigger.AvailableNow())
                        .start();
                query.awaitTermination();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot warm up in " + scratch, e);
        } catch (TimeoutException | StreamingQueryException e) {
            throw new IllegalStateException("the warm-up query failed: " + e.getMessage(), e);
        } finally {
            delete(scratch);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover warm-up folder outside the inbox is harmless
        }
    }
}
