package io.digitflow.pipeline.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import io.digitflow.inbox.Inbox;
import io.digitflow.inbox.StreamStatus;
import io.digitflow.pipeline.metrics.PipelineMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the stream does beside scoring, on a thread of its own so that none of it delays a batch:
 * leftovers of interrupted uploads swept at start, hidden entries set aside every few seconds
 * ({@link InboxSweeper}), the archive and quarantine kept to their limits ({@link Retention}), and
 * the file source's log watched.
 *
 * <p>Why the log: Spark's file source keeps every file it ever listed in the checkpoint
 * ({@code sources/0}, compacted but never trimmed), so over months of arrivals it would grow
 * without bound and be read whole at every start. Scored files leave the inbox and every row is
 * an upsert by a stable id, so a checkpoint can be renewed safely whenever the inbox is empty:
 * nothing is in flight then, and nothing listed before can be listed again.
 */
final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    static final long SWEEP_SECONDS = 5;
    static final long RETENTION_MINUTES = 10;

    private final StreamOptions options;
    private final InboxSweeper sweeper;
    private final Retention archive;
    private final Retention quarantine;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "housekeeping");
        t.setDaemon(true);
        return t;
    });
    private final Inbox inbox;
    private final Supplier<String> modelVersion;
    private volatile int waitingFiles = -1;
    private final RecentCount recentFiles = new RecentCount(StreamStatus.RECENT);

    private Housekeeping(StreamOptions options, InboxSweeper sweeper, Supplier<String> modelVersion) {
        this.options = options;
        this.sweeper = sweeper;
        this.inbox = new Inbox(options.inbox());
        this.modelVersion = modelVersion;
        this.archive = options.archive() == null ? null : new Retention(options.archive(), options.keep(), options.keepBytes());
        this.quarantine = new Retention(options.quarantine(), options.keep(), options.keepBytes());
    }

    static Housekeeping start(StreamOptions options, InboxSweeper sweeper, Supplier<String> modelVersion) {
        Housekeeping h = new Housekeeping(options, sweeper, modelVersion);
        h.guarded("sweeping leftovers", () -> sweeper.sweepLeftovers(InboxSweeper.LEFTOVER_AGE, Instant.now()));
        h.thread.scheduleWithFixedDelay(() -> h.guarded("sweeping hidden entries", h::sweep), 0, SWEEP_SECONDS, TimeUnit.SECONDS);
        h.thread.scheduleWithFixedDelay(() -> h.guarded("keeping the archive and quarantine to their limits", h::applyRetention),
                0, RETENTION_MINUTES, TimeUnit.MINUTES);
        return h;
    }

    /** Hidden entries set aside; the backlog counted, published as metrics and in the stream's status file. */
    private void sweep() throws IOException {
        InboxSweeper.Waiting waiting = sweeper.setAsideHidden();
        waitingFiles = waiting.files();
        Instant now = Instant.now();
        long oldest = waiting.oldestArrival() == null ? 0 : Math.max(0, Duration.between(waiting.oldestArrival(), now).toSeconds());
        PipelineMetrics.BACKLOG.set(waiting.files());
        PipelineMetrics.OLDEST_WAITING.set(oldest);
        double last = PipelineMetrics.LAST_BATCH.get();
        inbox.writeStatus(new StreamStatus(now, last == 0 ? null : Instant.ofEpochMilli((long) (last * 1000)), waiting.files(), oldest,
                modelVersion.get(), recentFiles.update(now, PipelineMetrics.filesTotal())));
    }

    private void applyRetention() throws IOException {
        if (archive != null) {
            archive.apply(Instant.now());
        }
        quarantine.apply(Instant.now());
    }

    /** True when the file source's log has outgrown its limit and the inbox is empty. */
    boolean logRenewalDue() {
        return waitingFiles == 0 && logBytes() > options.maxLogBytes();
    }

    /** Deletes the checkpoint (the query is stopped) and claims a fresh one for the inbox. */
    void renewLog() {
        long bytes = logBytes();
        try (Stream<Path> paths = Files.walk(options.checkpoint())) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot renew the checkpoint " + options.checkpoint(), e);
        }
        Checkpoints.claim(options.checkpoint(), options.inbox());
        LOG.info("stream: renewed the checkpoint {}: its list of seen files had grown to {} MB, and the inbox is empty",
                options.checkpoint(), bytes >> 20);
    }

    long logBytes() {
        Path log = options.checkpoint().resolve("sources");
        if (!Files.isDirectory(log)) {
            return 0;
        }
        long[] total = {0};
        try {
            Files.walkFileTree(log, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    total[0] += a.size();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return 0;
        }
        return total[0];
    }

    @FunctionalInterface
    private interface Task {
        void run() throws IOException;
    }

    /** A failure of housekeeping is said, never fatal: scoring goes on. */
    private void guarded(String what, Task task) {
        try {
            task.run();
        } catch (IOException | RuntimeException e) {
            LOG.warn("stream: {} failed: {}", what, e.toString());
        }
    }
}
