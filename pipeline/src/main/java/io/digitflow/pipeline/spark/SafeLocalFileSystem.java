package io.digitflow.pipeline.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system for the pipeline's inbox and checkpoint: it lists without following
 * links and sets permissions without the shell.
 *
 * <p>Listing: Hadoop's own follows every symbolic link, so a link to a folder in the inbox made
 * Spark list, score and then move the files inside it (the user's own files, wherever they are),
 * and a dangling link was skipped in silence. Here a link (and a FIFO, socket or device) is listed
 * as what it is, a file of its own that is never descended into; the scoring step refuses it with
 * a row, and the stream quarantines the link itself. Names are joined to their folder without
 * being parsed as URIs, so a ':' in a file name cannot break the listing of the whole inbox.
 *
 * <p>Permissions: without Hadoop's native library (not shipped for this platform's Spark), every
 * file Hadoop creates gets its permissions from a forked {@code chmod}, and every FileContext rename
 * forks {@code readlink}. The streaming checkpoint writes three such files per micro-batch (about
 * ten forks of the 1.5 GB stream JVM per one-image batch, ~100 ms). This sets permissions with
 * {@code java.nio}; Spark's FileSystem-based checkpoint manager (set in {@link PipelineSpark})
 * renames with {@code File.renameTo}, atomic on a local file system.
 */
public final class SafeLocalFileSystem extends RawLocalFileSystem {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        java.nio.file.Path dir = pathToFile(f).toPath();
        BasicFileAttributes self;
        try {
            // Not even the listed path is followed: Spark lists each file of a batch again by its
            // own path, and a link to a folder must stay one entry then too. (The jobs give Spark
            // the real path of the inbox or scored folder, so a linked inbox still works.)
            self = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("File " + f + " does not exist");
        }
        Path qualified = makeQualified(f);
        if (!self.isDirectory()) {
            return new FileStatus[] {status(qualified, self)};
        }
        List<FileStatus> children = new ArrayList<>();
        try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(dir)) {
            for (java.nio.file.Path entry : entries) {
                try {
                    BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    children.add(status(child(qualified, entry.getFileName().toString()), a));
                } catch (NoSuchFileException gone) {
                    // moved away between listing and looking: not there to list
                }
            }
        }
        return children.toArray(FileStatus[]::new);
    }

    /**
     * As Hadoop's (links followed), except that a link that cannot be followed (dangling, a loop)
     * is described as itself instead of being missing (which Spark skips in silence) or an error.
     */
    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        try {
            return super.getFileStatus(f);
        } catch (IOException e) {
            java.nio.file.Path p = pathToFile(f).toPath();
            if (!Files.isSymbolicLink(p)) {
                throw e;
            }
            return status(makeQualified(f), Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        }
    }

    /**
     * A link, FIFO, socket or device is a file here: listed, never descended into or read. No entry
     * is listed with length 0, because Spark drops zero-length files from every scan (its
     * PartitioningAwareFileIndex) and such an entry would wait in the inbox for ever, unseen: the
     * scoring step reads the real length and refuses it or finds the file empty.
     */
    private FileStatus status(Path path, BasicFileAttributes a) {
        long length = a.isRegularFile() ? a.size() : 0;
        return new FileStatus(a.isDirectory() ? 0 : Math.max(1, length), a.isDirectory(), 1, getDefaultBlockSize(path),
                a.lastModifiedTime().toMillis(), a.lastAccessTime().toMillis(), null, null, null, path);
    }

    /** {@code parent/name}, with the name taken literally (Path(String) would read "a:b" as a URI scheme). */
    static Path child(Path parent, String name) {
        java.net.URI uri = parent.toUri();
        String dir = uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";
        return new Path(uri.getScheme(), uri.getAuthority(), dir + name);
    }

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
