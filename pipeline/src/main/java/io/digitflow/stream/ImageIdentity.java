package io.digitflow.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitflow.store.Prediction.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who an image is: id, display name, source and upload time.
 *
 * <ul>
 *   <li>An upload ({@code <inbox>/<uuid>.<ext>} with the sidecar {@code <inbox>/.meta/<uuid>.json}
 *       that web-ingest wrote before renaming the image in) keeps the id, original name and upload
 *       time web-ingest gave it.</li>
 *   <li>Any other file (a drop, a bulk-dropped folder, or {@code score DIR}) gets an id derived from
 *       its path relative to the root and its content, so scoring it again overwrites its row
 *       instead of adding one; its upload time is the file's modification time.</li>
 * </ul>
 */
public record ImageIdentity(UUID id, String name, Source source, Instant uploadedAt) {
    public static final String META_DIR = ".meta";
    private static final Pattern UPLOAD_NAME = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.[a-z]{3,4}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param root     the inbox (stream) or the scored folder (batch)
     * @param file     the image file under root
     * @param fallback the source for files that are not uploads: drop (stream) or batch
     */
    public static ImageIdentity of(Path root, Path file, byte[] content, Instant modified, Source fallback) {
        if (fallback == Source.drop && root.equals(file.getParent())) {
            Optional<ImageIdentity> upload = upload(root, file);
            if (upload.isPresent()) {
                return upload.get();
            }
        }
        String relative = relativeName(root, file);
        return new ImageIdentity(derivedId(relative, content), relative, fallback, modified);
    }

    /** The sidecar of an upload, if this file is one. */
    static Optional<ImageIdentity> upload(Path inbox, Path file) {
        var m = UPLOAD_NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        Path sidecar = sidecarOf(inbox, m.group(1));
        try {
            JsonNode meta = JSON.readTree(Files.readAllBytes(sidecar));
            return Optional.of(new ImageIdentity(UUID.fromString(meta.get("id").asText()), meta.get("name").asText(),
                    Source.upload, Instant.parse(meta.get("uploaded_at").asText())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no (readable) sidecar: treat it as a plain drop
        }
    }

    public static Path sidecarOf(Path inbox, String id) {
        return inbox.resolve(META_DIR).resolve(id + ".json");
    }

    /** UUID (name-based, v3) of the relative path and the content's SHA-256. */
    public static UUID derivedId(String relativePath, byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            byte[] name = relativePath.getBytes(StandardCharsets.UTF_8);
            byte[] key = new byte[name.length + 1 + digest.length];
            System.arraycopy(name, 0, key, 0, name.length);
            System.arraycopy(digest, 0, key, name.length + 1, digest.length);
            return UUID.nameUUIDFromBytes(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String relativeName(Path root, Path file) {
        Path rel = file.startsWith(root) ? root.relativize(file) : file.getFileName();
        return rel.toString().replace(java.io.File.separatorChar, '/');
    }

    /**
     * The local path of a binaryFile row. Spark gives Hadoop path strings ({@code file:/a/b c,d.png},
     * not escaped URIs), so Hadoop's own parser reads them back, odd characters included.
     */
    public static Path pathOf(String sparkPath) {
        return Path.of(new org.apache.hadoop.fs.Path(sparkPath).toUri().getPath()).toAbsolutePath().normalize();
    }
}
