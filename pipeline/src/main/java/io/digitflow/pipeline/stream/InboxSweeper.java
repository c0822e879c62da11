package io.digitflow.pipeline.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.inbox.Inbox;
import io.digitflow.pipeline.metrics.PipelineMetrics;
import io.digitflow.pipeline.scoring.FileRefusal;
import io.digitflow.pipeline.scoring.ImageIdentity;
import io.digitflow.pipeline.scoring.ScorePartition;
import io.digitflow.pipeline.spark.CassandraTarget;
import io.digitflow.pipeline.spark.PipelineSpark;
import io.digitflow.results.Prediction;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.Prediction.Status;
import io.digitflow.results.PredictionWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after what Spark's file source does not see in the inbox:
 * <ul>
 *   <li>entries named like Spark's hidden files (a name starting with {@code _} or {@code .}, or
 *       ending in {@code ._COPYING_}), which it never lists: each gets a rejected row
 *       ({@code hidden_name}) and goes to the quarantine, instead of waiting there unnoticed;</li>
 *   <li>at start, what an interrupted upload left behind: sidecars whose image is gone and files in
 *       {@code .incoming} that are older than any upload in flight can be.</li>
 * </ul>
 */
final class InboxSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(InboxSweeper.class);
    /** Older than any upload in flight can be (an upload's whole request has a deadline of minutes). */
    static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private final Inbox inbox;
    private final Path quarantine;
    private final CassandraTarget cassandra;
    private final Supplier<String> modelVersion;

    InboxSweeper(Inbox inbox, Path quarantine, CassandraTarget cassandra, Supplier<String> modelVersion) {
        this.inbox = inbox;
        this.quarantine = quarantine;
        this.cassandra = cassandra;
        this.modelVersion = modelVersion;
    }

    /** Deletes leftovers of interrupted uploads older than {@code age}; returns how many. */
    int sweepLeftovers(Duration age, Instant now) throws IOException {
        int swept = 0;
        Instant cutoff = now.minus(age);
        swept += deleteOlder(inbox.incoming(), cutoff, name -> true);
        swept += deleteOlder(inbox.dir().resolve(Inbox.META), cutoff, name -> !imageExists(name));
        if (swept > 0) {
            LOG.info("stream: swept {} leftovers of interrupted uploads (older than {} h) from {}", swept, age.toHours(), inbox.dir());
        }
        return swept;
    }

    private boolean imageExists(String sidecarName) {
        String id = sidecarName.endsWith(".json") ? sidecarName.substring(0, sidecarName.length() - 5) : sidecarName;
        try (DirectoryStream<Path> images = Files.newDirectoryStream(inbox.dir(), id + ".*")) {
            return images.iterator().hasNext();
        } catch (IOException e) {
            return true; // when in doubt, keep it
        }
    }

    private static int deleteOlder(Path dir, Instant cutoff, java.util.function.Predicate<String> also) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!a.isDirectory() && a.lastModifiedTime().toInstant().isBefore(cutoff) && also.test(p.getFileName().toString())
                            && Files.deleteIfExists(p)) {
                        deleted++;
                    }
                } catch (NoSuchFileException gone) {
                    // taken by its owner meanwhile
                }
            }
        }
        return deleted;
    }

    /** What waits in the inbox: how many files, and when the oldest of them arrived (null when none). */
    record Waiting(int files, Instant oldestArrival) {
    }

    /** Sets aside every hidden entry of the inbox with a row per file in it; returns what waits to be scored. */
    Waiting setAsideHidden() throws IOException {
        List<Path> hidden = new ArrayList<>();
        int[] waiting = {0};
        Instant[] oldest = {null};
        Files.walkFileTree(inbox.dir(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                if (dir.equals(inbox.dir())) {
                    return FileVisitResult.CONTINUE;
                }
                boolean protocol = dir.getParent().equals(inbox.dir()) && Inbox.PROTOCOL_FOLDERS.contains(dir.getFileName().toString());
                if (protocol) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (PipelineSpark.hidesName(dir.getFileName().toString())) {
                    hidden.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                if (PipelineSpark.hidesName(file.getFileName().toString())) {
                    hidden.add(file);
                } else {
                    waiting[0]++;
                    Instant arrived = arrival(file);
                    if (oldest[0] == null || arrived.isBefore(oldest[0])) {
                        oldest[0] = arrived;
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path entry : hidden) {
            setAside(entry);
        }
        return new Waiting(waiting[0], oldest[0]);
    }

    /** When an entry came into the inbox: its change time (a rename sets it; the modification time is the file's own). */
    private static Instant arrival(Path file) {
        try {
            return ((java.nio.file.attribute.FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toInstant();
        } catch (IOException | RuntimeException e) {
            return Instant.now();
        }
    }

    /** One row per file of the entry (hidden_name), then the entry itself into the quarantine. */
    private void setAside(Path entry) throws IOException {
        List<Prediction> rows = new ArrayList<>();
        Instant now = Instant.now();
        Files.walkFileTree(entry, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                Instant modified = a.lastModifiedTime().toInstant();
                ImageIdentity id = ImageIdentity.of(inbox.dir(), file, ScorePartition.UNREAD, modified, Source.drop);
                rows.add(new Prediction(id.id(), id.name(), id.source(), Status.rejected, FileRefusal.HIDDEN_NAME.code(), null, null,
                        null, modelVersion.get(), id.uploadedAt(), now));
                return FileVisitResult.CONTINUE;
            }
        });
        try (CqlSession session = cassandra.openSession()) {
            PredictionWriter writer = cassandra.writer(session, 8);
            writer.write(rows);
            writer.flush();
        }
        PipelineMetrics.FILES.labelValues(Status.rejected.name(), FileRefusal.HIDDEN_NAME.code()).inc(rows.size());
        Path target = quarantine.resolve(inbox.dir().relativize(entry));
        Files.createDirectories(target.getParent());
        for (int n = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
            target = target.resolveSibling(entry.getFileName() + "." + n); // a folder of that name was set aside before
        }
        Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.warn("stream: {} set aside to {} with {} rejected row(s) (hidden_name): Spark never reads names starting with "
                + "'_' or '.'; rename it and drop it again to have it scored", inbox.dir().relativize(entry), target, rows.size());
    }
}
