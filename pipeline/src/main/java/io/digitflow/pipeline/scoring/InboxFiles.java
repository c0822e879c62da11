package io.digitflow.pipeline.scoring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an image file under a root (the inbox, or the folder {@code score} was given) without
 * ever following a link: the file and every folder between it and the root must be what they
 * claim, or the file is refused unread. The size comes from the file's attributes, so a file over
 * the limit is refused without reading a byte of it.
 */
public final class InboxFiles {
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private InboxFiles() {
    }

    /** What reading one entry gave: its bytes, a refusal with the reason, or nothing (it is gone). */
    public sealed interface Read {
    }

    public record Bytes(byte[] content) implements Read {
    }

    public record Refused(FileRefusal reason, String detail) implements Read {
    }

    /** Gone between listing and reading: moved away by an earlier run of this batch, or by the user. */
    public record Gone() implements Read {
    }

    public static Read read(Path root, Path file, long maxBytes) {
        try {
            Optional<Path> link = firstLink(root, file);
            if (link.isPresent()) {
                return new Refused(FileRefusal.NOT_A_REGULAR_FILE, "reached through the symbolic link "
                        + root.relativize(link.get()) + ", which is not followed");
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, NO_FOLLOW);
            if (!attributes.isRegularFile()) {
                return new Refused(FileRefusal.NOT_A_REGULAR_FILE, kind(attributes) + ", not a regular file");
            }
            if (attributes.size() > maxBytes) {
                return new Refused(FileRefusal.TOO_LARGE, String.format("%,d bytes, over the limit of %,d", attributes.size(), maxBytes));
            }
            return readAtMost(file, maxBytes);
        } catch (NoSuchFileException e) {
            return new Gone();
        } catch (AccessDeniedException e) {
            return new Refused(FileRefusal.UNREADABLE, "permission denied");
        } catch (IOException e) {
            return new Refused(FileRefusal.UNREADABLE, String.valueOf(e.getMessage()));
        }
    }

    /** The entry that must be moved instead of {@code file}: the first link on its way from the root, else the file. */
    public static Path entryOf(Path root, Path file) throws IOException {
        return firstLink(root, file).orElse(file);
    }

    /** The first symbolic link among the folders between root and file, and the file itself. */
    static Optional<Path> firstLink(Path root, Path file) throws IOException {
        if (!file.startsWith(root)) {
            throw new IOException(file + " is not under " + root);
        }
        Path at = root;
        for (Path part : root.relativize(file)) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    /** O_NOFOLLOW: a link swapped in after the checks above is not opened either. */
    private static Read readAtMost(Path file, long maxBytes) throws IOException {
        try (SeekableByteChannel in = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            long size = in.size();
            if (size > maxBytes) {
                return new Refused(FileRefusal.TOO_LARGE, String.format("%,d bytes, over the limit of %,d", size, maxBytes));
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                // read until full or end of file (a file that shrank: its shorter content is what it is)
            }
            byte[] content = new byte[buffer.position()];
            buffer.flip().get(content);
            return new Bytes(content);
        }
    }

    private static String kind(BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (a.isDirectory()) {
            return "a folder";
        }
        return "a FIFO, socket or device";
    }
}
