package io.digitflow.inbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox protocol between the upload page (writing) and the pipeline (reading), in one place.
 *
 * <ul>
 *   <li>An upload is streamed into the hidden {@value #INCOMING} folder, then its sidecar
 *       {@code .meta/<id>.json} ({@link Upload}) is written, then the image is renamed into the
 *       inbox as {@code <id>.<ext>}. Both are renames within one filesystem, so the pipeline never
 *       sees a partial file, and the user's file name is only ever data inside the sidecar.</li>
 *   <li>Any other file (a drop, a dropped folder, or a file of {@code score DIR}) is identified by
 *       its path relative to the root and its content ({@link #derivedId}): scoring it again
 *       overwrites its row instead of adding one.</li>
 * </ul>
 * Names starting with {@code .} are the protocol's own (Spark's file source also skips them).
 */
public final class Inbox {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    public static final String INCOMING = ".incoming";
    public static final String META = ".meta";
    /** Where the stream says how it is ({@link StreamStatus}). */
    public static final String STATUS = ".status";
    /** The protocol's own folders at the top of the inbox: never images. */
    public static final java.util.Set<String> PROTOCOL_FOLDERS = java.util.Set.of(INCOMING, META, STATUS);

    private static final Pattern UPLOAD_NAME = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.[a-z]{3,4}");

    private final Path dir;

    public Inbox(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Where uploads are written before they are checked: hidden from the pipeline, same filesystem. */
    public Path incoming() {
        return dir.resolve(INCOMING);
    }

    public Path sidecarOf(UUID id) {
        return dir.resolve(META).resolve(id + ".json");
    }

    public void createDirectories() throws IOException {
        Files.createDirectories(incoming());
        Files.createDirectories(dir.resolve(META));
    }

    /** Hands a checked upload in {@link #incoming()} to the pipeline: sidecar first, then the image. */
    public void accept(Upload upload, Path file, String extension) throws IOException {
        Path tmp = incoming().resolve(upload.id() + ".json.tmp");
        Files.write(tmp, upload.toJson());
        Files.move(tmp, sidecarOf(upload.id()), StandardCopyOption.ATOMIC_MOVE);
        Files.move(file, dir.resolve(upload.id() + "." + extension), StandardCopyOption.ATOMIC_MOVE);
    }

    /** True while an upload waits to be scored (its image or its sidecar is still here). */
    public boolean isPending(UUID id) {
        if (Files.exists(sidecarOf(id))) {
            return true;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, id + ".*")) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the stream's status (to a temporary name, renamed into place). */
    public void writeStatus(StreamStatus status) throws IOException {
        Path dir = this.dir.resolve(STATUS);
        Files.createDirectories(dir);
        Path tmp = dir.resolve("stream.json." + UUID.randomUUID() + ".tmp");
        Files.write(tmp, status.toJson());
        Files.move(tmp, dir.resolve("stream.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The stream's last status, if it ever wrote one and it is readable. */
    public Optional<StreamStatus> status() {
        try {
            return Optional.of(StreamStatus.fromJson(Files.readAllBytes(dir.resolve(STATUS).resolve("stream.json"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether uploads can be handed in now: the inbox and its incoming folder exist and are writable. */
    public boolean isWritable() {
        return Files.isDirectory(dir) && Files.isWritable(dir) && Files.isDirectory(incoming());
    }

    /**
     * The upload {@code file} is, if it is one: named {@code <id>.<ext>} directly in the inbox, with
     * a readable sidecar of the same id. A file named like an upload whose sidecar is missing,
     * unreadable or names another id is a plain drop (said in a warning): its name, not its
     * sidecar, decides which row it may write.
     */
    public Optional<Upload> upload(Path file) {
        Matcher m = UPLOAD_NAME.matcher(file.getFileName().toString());
        if (!dir.equals(file.getParent()) || !m.matches()) {
            return Optional.empty();
        }
        UUID id = UUID.fromString(m.group(1));
        Path sidecar = sidecarOf(id);
        try {
            Upload upload = Upload.fromJson(Files.readAllBytes(sidecar));
            if (upload.id().equals(id)) {
                return Optional.of(upload);
            }
            LOG.warn("{} is named like an upload but its sidecar names the id {}: scored as a drop", file.getFileName(), upload.id());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} is named like an upload but its sidecar {} is missing or unreadable ({}): scored as a drop",
                    file.getFileName(), sidecar.getFileName(), e.toString());
        }
        return Optional.empty();
    }

    /** The id of a file that is not an upload: a name-based UUID of its relative path and its content's SHA-256. */
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

    /** {@code file}'s path relative to {@code root} with '/' separators: the name a drop is stored under. */
    public static String relativeName(Path root, Path file) {
        Path rel = file.startsWith(root) ? root.relativize(file) : file.getFileName();
        return rel.toString().replace(java.io.File.separatorChar, '/');
    }
}
