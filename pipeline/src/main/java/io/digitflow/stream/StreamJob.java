package io.digitflow.stream;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.digitflow.config.CommandRunner;
import io.digitflow.config.Flags;
import io.digitflow.config.Settings;
import io.digitflow.model.ModelStore;
import io.digitflow.store.CassandraSessions;
import io.digitflow.store.Prediction.Source;
import io.digitflow.store.PredictionTable;
import io.digitflow.store.SchemaInstaller;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The streaming pipeline: every image that lands in the inbox (an upload, a dropped file, a whole
 * dropped folder) is decoded, preprocessed, scored by the broadcast CNN and written to Cassandra;
 * then it leaves the inbox. If the query fails (Cassandra down, say) it is restarted from its
 * checkpoint after a backoff, so every file is still scored exactly once.
 *
 * <pre>bin/digitflow stream [--inbox DIR] [--checkpoint DIR] [--master URL] [--max-files N] [--poll-ms N] [--delete-processed]</pre>
 */
public final class StreamJob {
    static final String USAGE = """
            usage: bin/digitflow stream [options]

              --inbox DIR          the watched directory (DIGITFLOW_INBOX, default var/inbox)
              --models DIR         model store; the stream follows its LATEST (DIGITFLOW_MODELS, default models)
              --checkpoint DIR     streaming checkpoint (default var/checkpoints/stream)
              --archive DIR        where scored files go (default var/archive)
              --quarantine DIR     where rejected files go (default var/quarantine)
              --delete-processed   delete scored files instead of archiving them
              --max-files N        files per micro-batch at most (default 5000)
              --poll-ms N          how often an idle stream looks for new files (default 100)
              --master URL         Spark master (default local[2])""";

    static final Set<String> VALUED = Set.of("inbox", "models", "checkpoint", "archive", "quarantine", "max-files", "poll-ms",
            "master");
    static final Set<String> SWITCHES = Set.of("delete-processed");

    private StreamJob() {
    }

    public static void main(String[] args) {
        CommandRunner.run(args, USAGE, VALUED, SWITCHES, StreamJob::run);
    }

    /** Options of the stream, resolved once. */
    record Options(Settings settings, Path checkpoint, Path archive, Path quarantine, int maxFiles, int pollMillis,
            String master) {
        static Options from(Flags flags) {
            Settings s = Settings.resolve(flags);
            Path var = s.var();
            return new Options(s,
                    s.home().resolve(flags.value("checkpoint").orElse(var.resolve("checkpoints/stream").toString())),
                    flags.isSet("delete-processed") ? null : s.home().resolve(flags.value("archive").orElse(var.resolve("archive").toString())),
                    s.home().resolve(flags.value("quarantine").orElse(var.resolve("quarantine").toString())),
                    flags.intValue("max-files", 5000),
                    flags.intValue("poll-ms", 100),
                    flags.value("master").orElse("local[2]"));
        }

        String describe() {
            return settings.describe() + "\n"
                    + "  checkpoint  " + checkpoint + "\n"
                    + "  archive     " + (archive == null ? "(scored files are deleted)" : archive) + "\n"
                    + "  quarantine  " + quarantine + "\n"
                    + "  batches     at most " + maxFiles + " files, inbox looked at every " + pollMillis + " ms when idle";
        }
    }

    static void run(Flags flags) {
        Options options = Options.from(flags);
        System.err.println("digitflow stream\n" + options.describe());
        ProcessedFiles.createDirectories(options.settings().inbox(), options.archive(), options.quarantine());
        try (var session = CassandraSessions.open(options.settings())) {
            SchemaInstaller.install(session, options.settings().replication());
        }
        SparkSession spark = PipelineSpark.open("digitflow-stream", options.master(), options.settings());
        System.err.println(PipelineSpark.describe(spark));
        ModelWatcher models = new ModelWatcher(spark, new ModelStore(options.settings().models()), Optional.empty());
        ExecutorWarmUp.run(spark, models.current(), ConnectorSessions.of(spark));
        spark.streams().addListener(new BatchProgressLog());
        // Ctrl-C / SIGTERM: stop the query between batches so the checkpoint stays consistent.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(spark), "stop-stream"));
        runWithRestarts(spark, options, models);
    }

    /** Set by the shutdown hook: no restart after that, the JVM is going away. */
    private static volatile boolean stopping;

    /** Runs the query; when it fails, waits (1 s doubling to 30 s) and restarts it from the checkpoint. */
    static void runWithRestarts(SparkSession spark, Options options, ModelWatcher models) {
        long backoffMillis = 1000;
        while (!stopping) {
            long started = System.nanoTime();
            try {
                StreamingQuery query = start(spark, options, models);
                System.err.println("stream: watching " + options.settings().inbox());
                query.awaitTermination();
                return; // stopped on purpose
            } catch (StreamingQueryException | TimeoutException e) {
                if (stopping) {
                    return;
                }
                if ((System.nanoTime() - started) / 1e9 > 120) {
                    backoffMillis = 1000; // it ran fine for a while: start the backoff afresh
                }
                System.err.printf("stream: query failed: %s; unscored files stay in the inbox, restarting from the checkpoint in %d s%n",
                        failure(e, options.settings().cassandraSpec()), backoffMillis / 1000);
                ConnectorSessions.closeIdleSessions();
                sleep(backoffMillis);
                backoffMillis = Math.min(30_000, backoffMillis * 2);
            }
        }
    }

    static StreamingQuery start(SparkSession spark, Options options, ModelWatcher models) throws TimeoutException {
        Path inbox = options.settings().inbox();
        ProcessedFiles processed = new ProcessedFiles(inbox, options.archive(), options.quarantine());
        Dataset<Row> files = spark.readStream()
                .format("binaryFile")
                .schema(ScoredRows.BINARY_FILE)
                .option("recursiveFileLookup", "true")
                .option("maxFilesPerTrigger", options.maxFiles())
                .load(inbox.toString());
        CassandraConnector cassandra = ConnectorSessions.of(spark);
        // One Spark job per micro-batch: the tasks score and store; the driver then moves the files.
        VoidFunction2<Dataset<Row>, Long> perBatch = (batch, batchId) -> {
            List<Row> written = batch
                    .mapPartitions(new ScorePartition(models.current(), cassandra, inbox, Source.drop, null, null),
                            Encoders.row(ScoredRows.SCHEMA))
                    .select(ScoredRows.PATH, PredictionTable.STATUS, PredictionTable.IMAGE_ID)
                    .collectAsList();
            processed.settle(written);
            if (!written.isEmpty()) {
                // Printed here, before the batch commits, so that whoever counts these lines (tests,
                // benchmarks) sees every stored file once, in step with its row.
                System.err.printf("stream: batch %d scored %d files%n", batchId, written.size());
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

    private static void stopAll(SparkSession spark) {
        stopping = true;
        for (StreamingQuery q : spark.streams().active()) {
            try {
                q.stop();
            } catch (TimeoutException | IllegalStateException ignored) {
                // The JVM is exiting anyway, and Spark's own hook may have stopped the context (and
                // with it the query) first. The checkpoint is safe either way: a batch is committed
                // only after its rows are written, so an interrupted one is replayed at the next start.
            }
        }
    }

    /** What went wrong, in words an operator can act on: an unreachable Cassandra is named as such. */
    static String failure(Throwable e, String cassandra) {
        Throwable root = e;
        boolean cassandraDown = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            // The driver reports a lost control connection with a plain IllegalStateException.
            cassandraDown |= t instanceof AllNodesFailedException || t instanceof DriverTimeoutException
                    || t instanceof IllegalStateException && String.valueOf(t.getMessage()).startsWith("Control channel not available");
        }
        String cause = root.getClass().getSimpleName() + ": " + shortened(root.getMessage());
        return cassandraDown ? "Cassandra at " + cassandra + " is unreachable (" + cause + ")" : cause;
    }

    /** The driver's messages list every node's error on one line: the start says enough. */
    private static String shortened(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
