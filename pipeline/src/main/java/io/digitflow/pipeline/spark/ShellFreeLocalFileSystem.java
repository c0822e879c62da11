package io.digitflow.pipeline.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system for the pipeline's inbox and checkpoint, without the shell.
 *
 * <p>Why: without Hadoop's native library (not shipped for this platform's Spark), every file
 * Hadoop creates gets its permissions from a forked {@code chmod} process, and every FileContext
 * rename forks {@code readlink}. The streaming checkpoint writes three such files per micro-batch,
 * so a one-image micro-batch forked the 1.5 GB stream JVM about ten times (seen in a profile of the
 * stream; ~100 ms of each batch). This sets permissions with {@code java.nio} instead; Spark's
 * FileSystem-based checkpoint manager (set beside it in {@link PipelineSpark}) renames with
 * {@code File.renameTo}, which is atomic on a local file system.
 */
public final class ShellFreeLocalFileSystem extends RawLocalFileSystem {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission.toShort()));
    }

    /** The nine permission bits of a Unix mode (sticky and set-id bits have no java.nio form and are left alone). */
    static Set<PosixFilePermission> posix(short mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(BITS[bit]);
            }
        }
        return set;
    }
}
