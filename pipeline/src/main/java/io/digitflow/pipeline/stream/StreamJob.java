package io.digitflow.pipeline.stream;

import io.digitflow.config.Cli;
import io.digitflow.config.Locations;
import io.digitflow.config.Settings;
import io.digitflow.config.UsageException;
import io.digitflow.config.Version;
import io.digitflow.inbox.Inbox;
import io.digitflow.pipeline.metrics.PipelineMetrics;
import io.digitflow.pipeline.scoring.Failures;
import io.digitflow.pipeline.scoring.ScoringSession;
import io.digitflow.pipeline.spark.CassandraTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger LOG = LoggerFactory.getLogger(StreamJob.class);

    @Mixin
    Locations locations;

    @Option(names = "--model", paramLabel = "VERSION", description = "score with this model version (default: follow LATEST)")
    String model;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "streaming checkpoint (default var/checkpoints/stream-<inbox>-<hash>)")
    String checkpoint;

    @Option(names = "--archive", paramLabel = "DIR", description = "where scored files go (default var/archive)")
    String archive;

    @Option(names = "--quarantine", paramLabel = "DIR", description = "where rejected files go (default var/quarantine)")
    String quarantine;

    @Option(names = "--delete-processed", description = "delete scored files instead of archiving them")
    boolean deleteProcessed;

    @Option(names = "--max-file-mb", paramLabel = "N", defaultValue = "${env:DIGITFLOW_MAX_UPLOAD_MB:-10}",
            description = "larger files are refused unread (default: the page's upload limit, DIGITFLOW_MAX_UPLOAD_MB, 10)")
    int maxFileMb;

    @Option(names = "--keep-days", paramLabel = "N", defaultValue = "14", description = "days the archive and quarantine keep an entry (default 14)")
    int keepDays;

    @Option(names = "--keep-mb", paramLabel = "N", defaultValue = "2048", description = "MB the archive and quarantine each keep at most (default 2048)")
    int keepMb;

    @Option(names = "--min-free-mb", paramLabel = "N", defaultValue = "512", description = "pause while less disk than this is free (default 512)")
    long minFreeMb;

    @Option(names = "--max-files", paramLabel = "N", defaultValue = "5000", description = "files per micro-batch at most (default 5000)")
    int maxFiles;

    @Option(names = "--driver-max-files", paramLabel = "N", defaultValue = "16",
            description = "micro-batches of at most N files are scored on the driver, without a Spark job: a single upload's "
                    + "latency (default 16; 0 = always a job)")
    int driverMaxFiles;

    @Option(names = "--poll-ms", paramLabel = "N", defaultValue = "100", description = "how often an idle stream looks for new files (default 100)")
    int pollMillis;

    /**
     * Spark walks the whole list of seen files at every look at the inbox (ten a second when idle):
     * 14-18 ms a walk at 400,000 files (a sixth of a core for an empty inbox), 0.3 ms at 25,000
     * (SeenFilesBenchmark). Renewing takes ~0.1 s.
     */
    @Option(names = "--max-log-kb", paramLabel = "N", defaultValue = "4096",
            description = "size of the checkpoint's list of seen files past which it is renewed while the inbox is empty (default 4096)")
    int maxLogKb;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]", description = "Spark master (default local[2])")
    String master;

    @Option(names = "--metrics-port", paramLabel = "N", defaultValue = "${env:DIGITFLOW_STREAM_METRICS_PORT:-9464}",
            description = "port of the Prometheus metrics at /metrics (DIGITFLOW_STREAM_METRICS_PORT, default 9464; 0 = any free port)")
    int metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDR", defaultValue = "${env:DIGITFLOW_STREAM_METRICS_HOST:-127.0.0.1}",
            description = "address the metrics listen on (DIGITFLOW_STREAM_METRICS_HOST, default 127.0.0.1)")
    String metricsHost;

    public static void main(String[] args) {
        Cli.main(new StreamJob(), args);
    }

    StreamOptions options() {
        if (maxFiles < 1 || pollMillis < 1 || maxFileMb < 1 || maxLogKb < 1
                || driverMaxFiles < 0 || keepDays < 0 || keepMb < 0 || minFreeMb < 0) {
            throw new UsageException("--max-files, --poll-ms, --max-file-mb and --max-log-kb must be at least 1; "
                    + "--driver-max-files, --keep-days, --keep-mb and --min-free-mb at least 0");
        }
        Settings s = locations.settings();
        Path var = s.var();
        Path inbox = realFolder(s.inbox());
        return new StreamOptions(s, inbox,
                checkpoint != null ? s.home().resolve(checkpoint) : Checkpoints.defaultFor(var, inbox),
                deleteProcessed ? null : s.home().resolve(archive != null ? archive : var.resolve("archive").toString()),
                s.home().resolve(quarantine != null ? quarantine : var.resolve("quarantine").toString()),
                maxFiles, pollMillis, master, Optional.ofNullable(model), maxFileMb * (1L << 20), Duration.ofDays(keepDays),
                keepMb * (1L << 20), minFreeMb << 20, maxLogKb * 1024L, driverMaxFiles);
    }

    private static Path realFolder(Path dir) {
        try {
            return Files.createDirectories(dir).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the inbox " + dir, e);
        }
    }

    @Override
    public void run() {
        StreamOptions options = options();
        LOG.info("digitflow stream\n{}", options.describe());
        ProcessedFiles.createDirectories(options.archive(), options.quarantine());
        Checkpoints.claim(options.checkpoint(), options.inbox());
        var metrics = PipelineMetrics.serve(metricsHost, metricsPort);
        LOG.info("stream: metrics on http://{}:{}/metrics", metricsHost, metrics.getPort());
        ScoringSession scoring = ScoringSession.start("digitflow-stream", options.master(), options.settings(), options.model(), true);
        Supplier<String> version = scoring.models()::version;
        Housekeeping housekeeping = Housekeeping.start(options,
                new InboxSweeper(new Inbox(options.inbox()), options.quarantine(), scoring.cassandra(), version), version);
        scoring.warmUp().join(); // the first upload after "watching" must not wait for it
        StreamWarmUp.run(scoring, options, options.settings().var().resolve("warm-up-" + java.util.UUID.randomUUID()));
        scoring.spark().streams().addListener(new BatchProgressLog());
        // Ctrl-C / SIGTERM: stop the query between batches so the checkpoint stays consistent.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(scoring.spark()), "stop-stream"));
        runWithRestarts(scoring, options, housekeeping);
    }

    /** Set by the shutdown hook: no restart after that, the JVM is going away. */
    private static volatile boolean stopping;

    /**
     * Runs the query; when it fails, waits (1 s doubling to 30 s) and restarts it from the
     * checkpoint. A damaged checkpoint stops the stream with the recovery step instead: restarting
     * would only fail the same way.
     */
    static void runWithRestarts(ScoringSession scoring, StreamOptions options, Housekeeping housekeeping) {
        long backoffMillis = 1000;
        while (!stopping) {
            long started = System.nanoTime();
            try {
                StreamingQuery query = InboxQuery.start(scoring, options);
                LOG.info("stream: watching {}", options.inbox());
                boolean renewing = false;
                while (!renewing && !query.awaitTermination(1000)) {
                    renewing = housekeeping.logRenewalDue() && betweenEmptyLooks(query);
                }
                if (!renewing) {
                    return; // stopped on purpose (a failure is thrown by awaitTermination)
                }
                query.stop();
                housekeeping.renewLog();
            } catch (StreamingQueryException | TimeoutException e) {
                if (stopping) {
                    return;
                }
                Optional<String> damage = Checkpoints.damage(e);
                if (damage.isPresent()) {
                    throw new IllegalStateException(Checkpoints.recovery(options.checkpoint(), damage.get()), e);
                }
                if ((System.nanoTime() - started) / 1e9 > 120) {
                    backoffMillis = 1000; // it ran fine for a while: start the backoff afresh
                }
                LOG.warn("stream: query failed: {}; unscored files stay in the inbox, restarting from the checkpoint in {} s",
                        Failures.describe(e, options.settings().cassandraSpec()), backoffMillis / 1000);
                CassandraTarget.closeIdleSessions();
                sleep(backoffMillis);
                backoffMillis = Math.min(30_000, backoffMillis * 2);
            }
        }
    }

    /**
     * The query waits for its next look and its last look found no new file. Housekeeping counts
     * the inbox every 5 s: on that count alone, a renewal stopped the query as 10,000 files came in.
     */
    private static boolean betweenEmptyLooks(StreamingQuery query) {
        StreamingQueryStatus status = query.status();
        return !status.isTriggerActive() && !status.isDataAvailable();
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
