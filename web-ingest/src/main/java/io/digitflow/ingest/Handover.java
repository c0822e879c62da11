package io.digitflow.ingest;

import io.digitflow.inbox.Inbox;
import io.digitflow.inbox.Upload;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the checked parts of one request to the inbox, all or none. Every part is already whole
 * on the inbox's file system (staged), so what is left to fail is writing a sidecar or a rename
 * (a full disk, a lost mount). When part k fails, parts 1..k-1 are taken back: each image is first
 * renamed out of the inbox (one atomic step: the stream has it or not), then its sidecar removed.
 */
final class Handover {
    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

    /** A checked part, ready to go in as {@code <id>.<extension>}. */
    record Staged(Upload upload, Path file, String extension) {
    }

    private final Inbox inbox;

    Handover(Inbox inbox) {
        this.inbox = inbox;
    }

    void handIn(List<Staged> staged) throws IOException {
        List<Staged> done = new ArrayList<>();
        Staged current = null;
        try {
            for (Staged s : staged) {
                current = s;
                inbox.accept(s.upload(), s.file(), s.extension());
                done.add(s);
            }
        } catch (IOException | RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                takeBack(done.get(i));
            }
            if (current != null && !done.contains(current)) {
                forget(current);
            }
            throw e;
        }
    }

    /** Renames a handed-in image back to where it was staged, then removes its sidecar. */
    private void takeBack(Staged s) {
        Path image = inbox.dir().resolve(s.upload().id() + "." + s.extension());
        try {
            Files.move(image, s.file(), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            // The stream took it within the few milliseconds since it went in: it is scored.
            LOG.warn("upload {} could not be taken back: the stream already took it", s.upload().id());
        } catch (IOException e) {
            LOG.warn("upload {} could not be taken back from the inbox: {}", s.upload().id(), e.toString());
        }
        forget(s);
    }

    /** Removes the sidecar of an upload and whatever the inbox staged under its id in its incoming folder. */
    private void forget(Staged s) {
        try {
            Files.deleteIfExists(inbox.sidecarOf(s.upload().id()));
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(inbox.incoming(), s.upload().id() + ".*")) {
                for (Path p : leftovers) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("upload {}: its sidecar could not be removed: {}", s.upload().id(), e.toString());
        }
    }
}
