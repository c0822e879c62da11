package io.digitflow.pipeline.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A floor of free disk space under which the stream pauses instead of failing half-way: scoring
 * moves files into the archive and quarantine and Spark writes its checkpoint on the same disk.
 * While below the floor a batch waits before it starts, saying why every half minute.
 */
final class FreeSpace {
    private static final Logger LOG = LoggerFactory.getLogger(FreeSpace.class);
    static final long CHECK_MILLIS = 2000;
    static final long SAY_EVERY_MILLIS = 30_000;

    private final Path disk;
    private final long floorBytes;

    FreeSpace(Path disk, long floorBytes) {
        this.disk = disk;
        this.floorBytes = floorBytes;
    }

    long usableBytes() {
        try {
            return Files.getFileStore(disk).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: do not stop the stream over it
        }
    }

    /** Returns once at least the floor is free; blocks (and says so) while it is not. */
    void awaitFloor() throws InterruptedException {
        long lastSaid = 0;
        boolean paused = false;
        for (long free = usableBytes(); free < floorBytes; free = usableBytes()) {
            long now = System.currentTimeMillis();
            if (now - lastSaid >= SAY_EVERY_MILLIS) {
                LOG.warn("stream: paused: {} MB free on the disk of {}, under the floor of {} MB (--min-free-mb); "
                        + "free some space (the archive and quarantine keep --keep-days) and scoring resumes by itself",
                        free >> 20, disk, floorBytes >> 20);
                lastSaid = now;
            }
            paused = true;
            Thread.sleep(CHECK_MILLIS);
        }
        if (paused) {
            LOG.info("stream: resumed: {} MB free on the disk of {}", usableBytes() >> 20, disk);
        }
    }
}
