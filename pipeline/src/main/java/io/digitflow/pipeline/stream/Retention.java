package io.digitflow.pipeline.stream;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the archive and the quarantine from filling the disk: entries that arrived there more than
 * {@code keep} ago are deleted, then the oldest arrivals until the folder holds at most
 * {@code maxBytes}. Arrival is the entry's change time (a rename sets it), not its modification
 * time, which a dropped file keeps from wherever it came. Links are deleted as links; empty
 * folders left behind go too.
 */
final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final Path folder;
    private final Duration keep;
    private final long maxBytes;

    Retention(Path folder, Duration keep, long maxBytes) {
        this.folder = folder;
        this.keep = keep;
        this.maxBytes = maxBytes;
    }

    private record Entry(Path path, Instant arrived, long bytes) {
    }

    /** @return how many entries were deleted */
    int apply(Instant now) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        List<Entry> entries = entries();
        entries.sort(Comparator.comparing(Entry::arrived));
        long total = entries.stream().mapToLong(Entry::bytes).sum();
        Instant cutoff = now.minus(keep);
        int deleted = 0;
        for (Entry e : entries) {
            if (!e.arrived().isBefore(cutoff) && total <= maxBytes) {
                break; // sorted by arrival: everything after is newer, and the folder is small enough
            }
            if (Files.deleteIfExists(e.path())) {
                deleted++;
            }
            total -= e.bytes();
        }
        removeEmptyFolders();
        if (deleted > 0) {
            LOG.info("stream: deleted {} entries from {} (kept {} days, at most {} MB)", deleted, folder, keep.toDays(), maxBytes >> 20);
        }
        return deleted;
    }

    private List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                try {
                    FileTime changed = (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
                    entries.add(new Entry(file, changed.toInstant(), a.isRegularFile() ? a.size() : 0));
                } catch (NoSuchFileException gone) {
                    // deleted meanwhile
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }

    private void removeEmptyFolders() throws IOException {
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (!dir.equals(folder)) {
                    try (var children = Files.list(dir)) {
                        if (children.findAny().isEmpty()) {
                            Files.deleteIfExists(dir);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
