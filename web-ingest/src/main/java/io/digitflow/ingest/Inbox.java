package io.digitflow.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.digitflow.preprocess.ImageFormat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.UUID;

/**
 * The writing side of the inbox protocol (docs/architecture.md): the sidecar with the upload's id,
 * original name and time is written first, then the image is renamed into the inbox under its id.
 * Both are renames within one filesystem, so the stream never sees a partial file, and the
 * original name is only ever data inside the sidecar, never part of a path.
 */
final class Inbox {
    static final String INCOMING = ".incoming";
    static final String META = ".meta";

    private final Path dir;

    Inbox(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve(INCOMING));
        Files.createDirectories(dir.resolve(META));
    }

    Path dir() {
        return dir;
    }

    /** Where uploads are streamed to before they are checked: hidden from Spark, same filesystem. */
    Path incoming() {
        return dir.resolve(INCOMING);
    }

    /** Hands a validated upload to the pipeline. */
    void accept(UUID id, String originalName, Instant uploadedAt, Path file, ImageFormat format) throws IOException {
        ObjectNode meta = Json.MAPPER.createObjectNode()
                .put("id", id.toString())
                .put("name", originalName)
                .put("uploaded_at", uploadedAt.toString());
        Path tmp = incoming().resolve(id + ".json.tmp");
        Files.write(tmp, Json.MAPPER.writeValueAsBytes(meta));
        Files.move(tmp, dir.resolve(META).resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(file, dir.resolve(id + "." + format.extension()), StandardCopyOption.ATOMIC_MOVE);
    }

    /** True while an upload waits in the inbox (its image or its sidecar is still there). */
    boolean isPending(UUID id) {
        if (Files.exists(dir.resolve(META).resolve(id + ".json"))) {
            return true;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, id + ".*")) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    boolean isUsable() {
        return Files.isDirectory(dir) && Files.isWritable(dir) && Files.isDirectory(incoming());
    }
}
