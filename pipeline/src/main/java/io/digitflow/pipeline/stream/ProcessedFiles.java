package io.digitflow.pipeline.stream;

import io.digitflow.inbox.Inbox;
import io.digitflow.pipeline.scoring.ImageIdentity;
import io.digitflow.pipeline.scoring.InboxFiles;
import io.digitflow.pipeline.scoring.ScoredRows;
import io.digitflow.results.PredictionTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves files out of the inbox once their rows are in Cassandra, so the inbox listing each
 * micro-batch stays small: scored files to the archive (or deleted), rejected ones to quarantine,
 * keeping their path relative to the inbox. Only ever called after the write succeeded; a file
 * already gone (a replayed batch) is skipped, since its row was written before it was moved.
 *
 * <p>Only entries inside the inbox are touched, and never through a link: a link (or a file
 * reached through one) is moved as the link itself, so what it points to stays where it is.
 */
final class ProcessedFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessedFiles.class);

    private final Inbox inbox;
    private final Path archive; // null: delete scored files
    private final Path quarantine;

    ProcessedFiles(Inbox inbox, Path archive, Path quarantine) {
        this.inbox = inbox;
        this.archive = archive;
        this.quarantine = quarantine;
    }

    /** @param rows {@link ScoredRows} of a written batch */
    void settle(List<Row> rows) {
        for (Row row : rows) {
            Path file = ImageIdentity.pathOf(row.getAs(ScoredRows.PATH));
            boolean ok = "ok".equals(row.getAs(PredictionTable.STATUS));
            try {
                if (!file.startsWith(inbox.dir())) {
                    LOG.warn("not moving {}: it is not inside the inbox {}", file, inbox.dir());
                    continue;
                }
                Path entry = InboxFiles.entryOf(inbox.dir(), file);
                if (ok && archive == null && entry.equals(file)) {
                    Files.deleteIfExists(file);
                } else {
                    moveUnder(entry, ok ? archive : quarantine);
                }
                Files.deleteIfExists(inbox.sidecarOf(UUID.fromString(row.getAs(PredictionTable.IMAGE_ID))));
            } catch (IOException e) {
                // The row is written; a file we could not move is scored again next start, harmlessly.
                LOG.warn("cannot move {} out of the inbox: {}", file, e.toString());
            }
        }
    }

    /** Moves the entry itself (a link is moved as a link, never its target), keeping its place under the inbox. */
    private void moveUnder(Path entry, Path targetRoot) throws IOException {
        Path target = targetRoot.resolve(inbox.dir().relativize(entry));
        Files.createDirectories(target.getParent());
        try {
            Files.move(entry, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // already moved by an earlier run of this batch
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(entry, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        }
    }

    static void createDirectories(Path... dirs) {
        for (Path d : dirs) {
            if (d == null) {
                continue;
            }
            try {
                Files.createDirectories(d);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + d, e);
            }
        }
    }
}
