package io.digitflow.pipeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.config.Settings;
import io.digitflow.pipeline.scoring.ListedFiles;
import io.digitflow.pipeline.scoring.ScoredRows;
import io.digitflow.pipeline.spark.PipelineSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of a listing read from its plan on the driver, against what Spark's own job over the
 * same listing gives, on a real local Spark: the stream's micro-batches and score's folder listing.
 */
class ListedFilesIT {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        // The pipeline's own session: its file system and file-source settings are what is compared.
        spark = PipelineSpark.open("listed-files-it", "local[1]", Settings.fromEnvironment());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static Set<List<Object>> asSet(List<Row> rows) {
        Set<List<Object>> set = new HashSet<>();
        for (Row r : rows) {
            set.add(List.of(r.getAs("path"), r.getAs("modificationTime"), r.getAs("length")));
        }
        return set;
    }

    /** Odd names (a ':' that is no URI scheme, '#', '?', ',', a space), a nested folder, sizes 1 to 4. */
    private static Path filesIn(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("plain.png"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("scan 12:30, #1?.png"), new byte[] {4, 5});
        Files.write(Files.createDirectories(dir.resolve("folder/inner")).resolve("deep.png"), new byte[] {6, 7, 8, 9});
        Files.write(dir.resolve("one.png"), new byte[] {10});
        return dir;
    }

    @Test
    void aMicroBatchOfTheStreamIsListedFromItsPlanAsSparksOwnJobListsIt(@TempDir Path work) throws Exception {
        Path inbox = filesIn(work.resolve("inbox"));
        List<Set<List<Object>>> bySpark = new ArrayList<>();
        List<Optional<List<Row>>> fromPlan = new ArrayList<>();
        StreamingQuery query = InboxQuery.newFiles(spark, inbox, 100).writeStream()
                .option("checkpointLocation", work.resolve("checkpoint").toString())
                .foreachBatch((Dataset<Row> batch, Long id) -> {
                    fromPlan.add(ListedFiles.of(batch));
                    bySpark.add(asSet(batch.collectAsList()));
                })
                .trigger(Trigger.AvailableNow())
                .start();
        query.awaitTermination();
        assertEquals(1, bySpark.size(), "one batch");
        assertEquals(4, bySpark.get(0).size(), "Spark's job listed every file: " + bySpark.get(0));
        assertTrue(fromPlan.get(0).isPresent(), "the batch's files were found in its plan");
        assertEquals(bySpark.get(0), asSet(fromPlan.get(0).get()), "same path strings, times and sizes");
        assertEquals(ScoredRows.LISTED_SCHEMA, fromPlan.get(0).get().get(0).schema());
    }

    @Test
    void theFolderListingOfScoreIsListedFromItsPlanAsSparksOwnJobListsIt(@TempDir Path work) throws Exception {
        Path folder = filesIn(work.resolve("folder"));
        Dataset<Row> listed = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(folder.toString())
                .select(ScoredRows.LISTED[0], ScoredRows.LISTED[1], ScoredRows.LISTED[2]);
        Optional<List<Row>> fromPlan = ListedFiles.of(listed);
        Set<List<Object>> bySpark = asSet(listed.collectAsList());
        assertEquals(4, bySpark.size(), "Spark's job listed every file: " + bySpark);
        assertTrue(fromPlan.isPresent(), "the folder's files were found in its plan");
        assertEquals(bySpark, asSet(fromPlan.get()), "same path strings, times and sizes");
    }
}
