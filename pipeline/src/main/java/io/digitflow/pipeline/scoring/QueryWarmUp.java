package io.digitflow.pipeline.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import io.digitflow.pipeline.spark.CassandraTarget;
import io.digitflow.results.Prediction.Source;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the stream's scoring step once over two warm-up images (a page drawing and a small PNG) in
 * a folder of its own, storing nothing, before the stream says it is watching: Spark generates and
 * compiles the plan's code (file scan, projection, the step's encoders) and the JIT compiles the
 * reading and scoring paths on these, not on the first user's upload.
 */
public final class QueryWarmUp {
    private QueryWarmUp() {
    }

    /** @param scratch a folder on the inbox's disk, created and deleted here */
    public static void run(SparkSession spark, Broadcast<ModelBundle> model, CassandraTarget cassandra, Path scratch) {
        try {
            Files.createDirectories(scratch);
            Files.write(scratch.resolve("drawing.png"), ExecutorWarmUp.sampleDrawing());
            Files.write(scratch.resolve("digit.png"), ExecutorWarmUp.samplePng());
            ScorePartition dry = new ScorePartition(model, cassandra, new ScorePartition.Inputs(scratch, Source.drop, 1 << 20), null, null)
                    .withoutStoring();
            for (int round = 0; round < 2; round++) {
                ScoringStep.score(spark, spark.read().format("binaryFile").load(scratch.toString())
                        .select(ScoredRows.LISTED[0], ScoredRows.LISTED[1], ScoredRows.LISTED[2]), dry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot warm up in " + scratch, e);
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
