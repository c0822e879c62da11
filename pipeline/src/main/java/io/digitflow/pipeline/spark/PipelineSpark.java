package io.digitflow.pipeline.spark;

import io.digitflow.config.Settings;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's Spark session, sized for one 2-core box beside Cassandra and the web server.
 * Every value can be overridden with a {@code spark.*} system property or spark-submit --conf.
 */
public final class PipelineSpark {
    private PipelineSpark() {
    }

    public static SparkSession open(String appName, String defaultMaster, Settings settings) {
        SparkConf conf = new SparkConf().setAppName(appName);
        conf.setIfMissing("spark.master", defaultMaster);
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        conf.setIfMissing("spark.driver.host", "127.0.0.1");
        // Two cores: more shuffle partitions than that are only scheduling overhead.
        conf.setIfMissing("spark.sql.shuffle.partitions", "2");
        conf.setIfMissing("spark.default.parallelism", "2");
        // Spark's own file scan, which scores a listing only when its files cannot be read from its
        // plan (ScoringStep cuts them into tasks otherwise): thousands of small image files packed
        // into partitions of many, and into at least 8, so no last task runs alone on one core.
        conf.setIfMissing("spark.sql.files.openCostInBytes", "4096");
        conf.setIfMissing("spark.sql.files.maxPartitionBytes", "16m");
        conf.setIfMissing("spark.sql.files.minPartitionNum", "8");
        // Local files through Hadoop's raw local file system: the default one looks for a .crc
        // checksum file beside every image it opens (a quarter of the reading time); and without
        // forking chmod for every file it creates (SafeLocalFileSystem explains).
        conf.setIfMissing("spark.hadoop.fs.file.impl", SafeLocalFileSystem.class.getName());
        // The checkpoint through that file system too (Spark's default manager goes through
        // Hadoop's FileContext, which forks readlink on every rename and chmod on every file).
        conf.setIfMissing("spark.sql.streaming.checkpointFileManagerClass",
                "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager");
        // Otherwise every micro-batch launches a parallel listing job of thousands of tasks.
        conf.setIfMissing("spark.sql.sources.parallelPartitionDiscovery.threshold", "1000000");
        // A replayed batch may name files that were already scored and moved: their rows exist.
        conf.setIfMissing("spark.sql.files.ignoreMissingFiles", "true");
        conf.setIfMissing("spark.sql.streaming.minBatchesToRetain", "20");
        // The file source's log is compacted every N batches by rewriting every file it ever saw
        // (2 s with 10,000 files on a busy box): every 10th single-file batch paid that. Rarer
        // compaction keeps it off the latency of all but 1 % of batches.
        conf.setIfMissing("spark.sql.streaming.fileSource.log.compactInterval", "100");
        // Running tasks send their accumulators with each heartbeat: score's progress line counts
        // the files of running tasks from them (ScoredSoFar), every 5 s (Spark's default is 10 s).
        conf.setIfMissing("spark.executor.heartbeatInterval", "2s");
        // Local mode: the driver is the executor, so its heap is the JVM's -Xmx (bin/digitflow sets
        // it per command, DIGITFLOW_HEAP overrides). Spark's share of it holds the tasks' file
        // contents while they are read and the broadcast model; nothing is cached.
        conf.setIfMissing("spark.memory.fraction", "0.6");
        conf.setIfMissing("spark.memory.storageFraction", "0.5");
        settings.connectorProperties().forEach(conf::setIfMissing);
        conf.setIfMissing("spark.cassandra.connection.reconnectionDelayMS.max", "5000");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** Names Spark's file index never lists (its InMemoryFileIndex.shouldFilterOutPathName rule). */
    public static boolean hidesName(String name) {
        return name.startsWith(".") || name.startsWith("_") && !name.contains("=") || name.endsWith("._COPYING_");
    }

    public static String describe(SparkSession spark) {
        SparkConf c = spark.sparkContext().getConf();
        return "  spark       " + c.get("spark.master") + ", driver heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MB, shuffle partitions " + c.get("spark.sql.shuffle.partitions")
                + ", nd4j off-heap " + System.getProperty("org.bytedeco.javacpp.maxbytes", "default")
                + ", max RSS " + System.getProperty("org.bytedeco.javacpp.maxphysicalbytes", "default") + "\n"
                + "  writes      " + c.get("spark.cassandra.output.consistency.level") + " to " + c.get("spark.cassandra.connection.host")
                + c.getOption("spark.cassandra.auth.username").map(u -> " as " + u).getOrElse(() -> "");
    }
}
