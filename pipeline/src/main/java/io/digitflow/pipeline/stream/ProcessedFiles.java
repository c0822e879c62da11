package io.digitflow.pipeline.stream;

import io.digitflow.inbox.Inbox;
import io.digitflow.pipeline.scoring.ImageIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Row;

/**
 * Moves files out of the inbox once their rows are in Cassandra, so the inbox listing each
 * micro-batch stays small: scored files to the archive (or deleted), rejected ones to quarantine,
 * keeping their path relative to the inbox. Only ever called after the write succeeded; a file
 * already gone (a replayed batch) is skipped, since its row was written before it was moved.
 */
final class ProcessedFiles {
    private final Inbox inbox;
    private final Path archive; // null: delete scored files
    private final Path quarantine;

    ProcessedFiles(Inbox inbox, Path archive, Path quarantine) {
        this.inbox = inbox;
        this.archive = archive;
        this.quarantine = quarantine;
    }

    /** @param rows (path, status, image_id) of a written batch */
    void settle(List<Row> rows) {
        for (Row row : rows) {
            Path file = ImageIdentity.pathOf(row.getString(0));
            boolean ok = "ok".equals(row.getString(1));
            try {
                if (ok && archive == null) {
                    Files.deleteIfExists(file);
                } else {
                    moveUnder(file, ok ? archive : quarantine);
                }
                Files.deleteIfExists(inbox.sidecarOf(UUID.fromString(row.getString(2))));
            } catch (IOException e) {
                // The row is written; a file we could not move is scored again next start, harmlessly.
                System.err.println("warning: cannot move " + file + " out of the inbox: " + e);
            }
        }
    }

    private void moveUnder(Path file, Path targetRoot) throws IOException {
        Path relative = file.startsWith(inbox.dir()) ? inbox.dir().relativize(file) : file.getFileName();
        Path target = targetRoot.resolve(relative);
        Files.createDirectories(target.getParent());
        try {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // already moved by an earlier run of this batch
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
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
