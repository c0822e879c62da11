package io.digitflow.pipeline.scoring;

import io.digitflow.inbox.Inbox;
import io.digitflow.inbox.Upload;
import io.digitflow.results.Prediction.Source;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Who an image is: id, display name, source and upload time, by the inbox protocol
 * ({@link Inbox}). An upload keeps the id, name and time the page gave it; any other file (a drop,
 * a dropped folder, a file of {@code score DIR}) gets an id derived from its path relative to the
 * root and its content, and its modification time as upload time.
 */
public record ImageIdentity(UUID id, String name, Source source, Instant uploadedAt) {

    /**
     * @param root     the inbox (stream) or the scored folder (batch)
     * @param file     the image file under root
     * @param fallback the source of files that are not uploads: drop (stream) or batch
     */
    public static ImageIdentity of(Path root, Path file, byte[] content, Instant modified, Source fallback) {
        if (fallback == Source.drop) {
            Optional<Upload> upload = new Inbox(root).upload(file);
            if (upload.isPresent()) {
                Upload u = upload.get();
                return new ImageIdentity(u.id(), u.name(), Source.upload, u.uploadedAt());
            }
        }
        String relative = Inbox.relativeName(root, file);
        return new ImageIdentity(Inbox.derivedId(relative, content), relative, fallback, modified);
    }

    /**
     * The local path of a binaryFile row. Spark gives Hadoop path strings ({@code file:/a/b c,d.png},
     * not escaped URIs), so Hadoop's own parser reads them back, odd characters included.
     */
    public static Path pathOf(String sparkPath) {
        return Path.of(new org.apache.hadoop.fs.Path(sparkPath).toUri().getPath()).toAbsolutePath().normalize();
    }
}
