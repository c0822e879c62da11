package io.digitflow.ingest;

import io.digitflow.inbox.Inbox;
import io.digitflow.inbox.Upload;
import io.digitflow.preprocess.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The web benchmarks' baseline: an upload written straight into the inbox by the same protocol the
 * server uses (sidecar, then atomic rename), without HTTP. The difference to an HTTP upload of the
 * same image is what the web server costs.
 */
final class DirectDrop {
    private final Inbox inbox;

    DirectDrop(Path inboxDir) throws IOException {
        this.inbox = new Inbox(inboxDir);
        inbox.createDirectories();
    }

    /** Recorded like an accepted upload (202 with its id), so both paths are measured and checked alike. */
    UploadLoad.Sent drop(int index, byte[] png) throws IOException {
        Instant sentAt = Instant.now();
        long start = System.nanoTime();
        UUID id = UUID.randomUUID();
        Path part = inbox.incoming().resolve(id + ".part");
        Files.write(part, png);
        inbox.accept(new Upload(id, "digit-" + index + ".png", Instant.now()), part, ImageFormat.PNG.extension());
        return new UploadLoad.Sent(index, 202, Optional.of(id), "written to the inbox", sentAt, start, System.nanoTime());
    }
}
