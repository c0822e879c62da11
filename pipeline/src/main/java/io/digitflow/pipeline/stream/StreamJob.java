package io.digitflow.pipeline.stream;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.digitflow.config.Cli;
import io.digitflow.config.Locations;
import io.digitflow.config.Settings;
import io.digitflow.config.UsageException;
import io.digitflow.config.Version;
import io.digitflow.inbox.Inbox;
import io.digitflow.pipeline.scoring.ModelWatcher;
import io.digitflow.pipeline.scoring.ScorePartition;
import io.digitflow.pipeline.scoring.ScoredRows;
import io.digitflow.pipeline.scoring.ScoringSession;
import io.digitflow.pipeline.spark.ConnectorSessions;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.PredictionTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The streaming pipeline: every image that lands in the inbox (an upload, a dropped file, a whole
 * dropped folder) is decoded, preprocessed, scored by the broadcast CNN and written to Cassandra;
 * then it leaves the inbox. If the query fails (Cassandra down, say) it is restarted from its
 * checkpoint after a backoff, so every file is still scored exactly once.
 */
@Command(name = "digitflow stream", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Scores every image that lands in the inbox into Cassandra, until stopped.")
public final class StreamJob implements Runnable {
    @Mixin
    Locations locations;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "streaming checkpoint (default var/checkpoints/stream)")
    String checkpoint;

    @Option(names = "--archive", paramLabel = "DIR", description = "where scored files go (default var/archive)")
    String archive;

    @Option(names = "--quarantine", paramLabel = "DIR", description = "where rejected files go (default var/quarantine)")
    String quarantine;

    @Option(names = "--delete-processed", description = "delete scored files instead of archiving them")
    boolean deleteProcessed;

    @Option(names = "--max-files", paramLabel = "N", defaultValue = "5000", description = "files per micro-batch at most (default 5000)")
    int maxFiles;

    @Option(names = "--poll-ms", paramLabel = "N", defaultValue = "100", description = "how often an idle stream looks for new files (default 100)")
    int pollMillis;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]", description = "Spark master (default local[2])")
    String master;

    public static void main(String[] args) {
        Cli.main(new StreamJob(), args);
    }

    /** Options of the stream, resolved once. */
    record Options(Settings settings, Path checkpoint, Path archive, Path quarantine, int maxFiles, int pollMillis,
            String master) {
        String describe() {
            return settings.describe() + "\n"
                    + "  checkpoint  " + checkpoint + "\n"
                    + "  archive     " + (archive == null ? "(scored files are deleted)" : archive) + "\n"
                    + "  quarantine  " + quarantine + "\n"
                    + "  batches     at most " + maxFiles + " files, inbox looked at every " + pollMillis + " ms when idle";
        }
    }

    Options options() {
        if (maxFiles < 1 || pollMillis < 1) {
            throw new UsageException("--max-files and --poll-ms must be at least 1");
        }
        Settings s = locations.settings();
        Path var = s.var();
        return new Options(s,
                s.home().resolve(checkpoint != null ? checkpoint : var.resolve("checkpoints/stream").toString()),
                deleteProcessed ? null : s.home().resolve(archive != null ? archive : var.resolve("archive").toString()),
                s.home().resolve(quarantine != null ? quarantine : var.resolve("quarantine").toString()),
                maxFiles, pollMillis, master);
    }

    @Override
    public void run() {
        Options options = options();
        System.err.println("digitflow stream\n" + options.describe());
        ProcessedFiles.createDirectories(options.settings().inbox(), options.archive(), options.quarantine());
        ScoringSession scoring = ScoringSession.start("digitflow-stream", options.master(), options.settings(), Optional.empty(), true);
        scoring.warmUp().join(); // the first upload after "watching" must not wait for it
        scoring.spark().streams().addListener(new BatchProgressLog());
        // Ctrl-C / SIGTERM: stop the query between batches so the checkpoint stays consistent.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(scoring.spark()), "stop-stream"));
        runWithRestarts(scoring, options);
    }

    /** Set by the shutdown hook: no restart after that, the JVM is going away. */
    private static volatile boolean stopping;

    /** Runs the query; when it fails, waits (1 s doubling to 30 s) and restarts it from the checkpoint. */
    static void runWithRestarts(ScoringSession scoring, Options options) {
        long backoffMillis = 1000;
        while (!stopping) {
            long started = System.nanoTime();
            try {
                StreamingQuery query = start(scoring, options);
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

    static StreamingQuery start(ScoringSession scoring, Options options) throws TimeoutException {
        Path inbox = options.settings().inbox();
        ProcessedFiles processed = new ProcessedFiles(new Inbox(inbox), options.archive(), options.quarantine());
        ModelWatcher models = scoring.models();
        Dataset<Row> files = scoring.spark().readStream()
                .format("binaryFile")
                .schema(ScoredRows.BINARY_FILE)
                .option("recursiveFileLookup", "true")
                .option("maxFilesPerTrigger", options.maxFiles())
                .load(inbox.toString());
        CassandraConnector cassandra = scoring.cassandra();
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
