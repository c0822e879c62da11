package io.digitflow.pipeline.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.config.Settings;
import io.digitflow.pipeline.spark.PipelineSpark;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * score's progress count on a real local Spark: the files of tasks still running, from their
 * heartbeats, while Spark's own total is still 0; each file once after the tasks end.
 */
class ScoredSoFarIT {
    /** The tasks wait on this after counting: local mode runs them in this JVM. */
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        // The pipeline's own session: the heartbeat the running counts come with is its setting.
        spark = PipelineSpark.open("scored-so-far-it", "local[2]", Settings.fromEnvironment());
    }

    @AfterAll
    static void stopSpark() {
        RELEASE.countDown();
        spark.stop();
    }

    @Test
    void runningTasksCountFromTheirHeartbeatsAndEveryFileCountsOnceWhenTheyEnd() throws Exception {
        LongAccumulator counter = spark.sparkContext().longAccumulator("scored");
        ScoredSoFar soFar = new ScoredSoFar(counter);
        CountDownLatch tasksEnded = new CountDownLatch(2);
        spark.sparkContext().addSparkListener(soFar);
        // Added after soFar, on the same queue: once it has seen both ends, soFar has too.
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                tasksEnded.countDown();
            }
        });
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7), 2)
                .mapPartitions(files -> {
                    long n = 0;
                    while (files.hasNext()) {
                        files.next();
                        n++;
                    }
                    counter.add(n);
                    RELEASE.await(60, TimeUnit.SECONDS);
                    return List.of(n).iterator();
                })
                .count());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (soFar.value() < 7 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(7, soFar.value(), "both running tasks' counts, from their heartbeats");
        assertFalse(job.isDone(), "the tasks are still running");
        assertEquals(0, counter.value(), "Spark's own total, merged only when a task ends");

        RELEASE.countDown();
        assertEquals(2, job.get(60, TimeUnit.SECONDS));
        assertTrue(tasksEnded.await(30, TimeUnit.SECONDS), "both task ends reached the listeners");
        assertEquals(7, counter.value());
        assertEquals(7, soFar.value(), "each file once: a running task's count is replaced by its final one");
    }
}
