package io.digitflow.pipeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.pipeline.spark.SafeLocalFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.function.VoidFunction2;
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
 * The driver's listing of a small micro-batch, made from its plan, against the listing Spark's own
 * job makes of the same batch, on a real local Spark and the stream's own source.
 */
class BatchFilesIT {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[1]").appName("batch-files-it")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.hadoop.fs.file.impl", SafeLocalFileSystem.class.getName())
                .config("spark.sql.files.ignoreMissingFiles", "true")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** Runs the stream's source over {@code inbox} once and gives each batch to {@code perBatch}. */
    private static void runOnce(Path inbox, Path checkpoint, VoidFunction2<Dataset<Row>, Long> perBatch) throws Exception {
        StreamingQuery query = InboxQuery.newFiles(spark, inbox, 100).writeStream()
                .option("checkpointLocation", checkpoint.toString())
                .foreachBatch(perBatch)
                .trigger(Trigger.AvailableNow())
                .start();
        query.awaitTermination();
    }

    private static Set<List<Object>> asSet(List<Row> rows) {
        Set<List<Object>> set = new HashSet<>();
        for (Row r : rows) {
            set.add(List.of(r.getAs("path"), r.getAs("modificationTime"), r.getAs("length")));
        }
        return set;
    }

    @Test
    void aSmallBatchIsListedOnTheDriverAsSparksOwnJobListsIt(@TempDir Path work) throws Exception {
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        Files.write(inbox.resolve("plain.png"), new byte[] {1, 2, 3});
        Files.write(inbox.resolve("scan 12:30, #1?.png"), new byte[] {4, 5});
        Files.write(Files.createDirectories(inbox.resolve("folder/inner")).resolve("deep.png"), new byte[] {6, 7, 8, 9});
        Files.write(inbox.resolve("vanishes.png"), new byte[] {10});
        List<Set<List<Object>>> bySpark = new ArrayList<>();
        List<Optional<List<Row>>> byDriver = new ArrayList<>();
        runOnce(inbox, work.resolve("checkpoint"), (batch, id) -> {
            bySpark.add(asSet(batch.collectAsList()));
            Files.delete(inbox.resolve("vanishes.png")); // after Spark listed it, before the driver looks
            byDriver.add(BatchFiles.listedIfAtMost(batch, 16, spark.sparkContext().hadoopConfiguration()));
        });
        assertEquals(1, bySpark.size(), "one batch");
        assertEquals(4, bySpark.get(0).size(), "Spark's job listed every file: " + bySpark.get(0));
        Set<List<Object>> expected = new HashSet<>(bySpark.get(0));
        expected.removeIf(row -> ((String) row.get(0)).endsWith("vanishes.png"));
        assertTrue(byDriver.get(0).isPresent(), "the batch's files were found in its plan");
        assertEquals(expected, asSet(byDriver.get(0).get()), "same path strings, times and sizes; the vanished file left out");
    }

    @Test
    void aBatchOverTheLimitIsLeftToAJob(@TempDir Path work) throws Exception {
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        for (int i = 0; i < 3; i++) {
            Files.write(inbox.resolve(i + ".png"), new byte[] {(byte) i});
        }
        List<Optional<List<Row>>> atMostTwo = new ArrayList<>();
        List<Optional<List<Row>>> atMostThree = new ArrayList<>();
        runOnce(inbox, work.resolve("checkpoint"), (batch, id) -> {
            atMostTwo.add(BatchFiles.listedIfAtMost(batch, 2, spark.sparkContext().hadoopConfiguration()));
            atMostThree.add(BatchFiles.listedIfAtMost(batch, 3, spark.sparkContext().hadoopConfiguration()));
        });
        assertTrue(atMostTwo.get(0).isEmpty(), "three files are more than two");
        assertEquals(3, atMostThree.get(0).orElseThrow().size());
    }
}
