package io.digitflow.pipeline.stream;

import io.digitflow.config.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * A streaming checkpoint belongs to one inbox: it lists the files of the batch in flight, and
 * started for another inbox it would replay that inbox's batch. The default checkpoint is named
 * after the inbox, and every checkpoint records its inbox in a file {@value #INBOX_FILE} and is
 * refused for any other.
 */
final class Checkpoints {
    static final String INBOX_FILE = "digitflow-inbox";
    /** Spark's metadata logs: a failure while reading one means the checkpoint is damaged. */
    private static final Set<String> METADATA_LOGS = Set.of(
            "org.apache.spark.sql.execution.streaming.HDFSMetadataLog",
            "org.apache.spark.sql.execution.streaming.CompactibleFileStreamLog",
            "org.apache.spark.sql.execution.streaming.OffsetSeqLog",
            "org.apache.spark.sql.execution.streaming.CommitLog",
            "org.apache.spark.sql.execution.streaming.FileStreamSourceLog",
            "org.apache.spark.sql.execution.streaming.StreamMetadata$");

    private Checkpoints() {
    }

    /** {@code var/checkpoints/<inbox folder name>-<hash of its path>}: one per inbox. */
    static Path defaultFor(Path var, Path inbox) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(inbox.toString().getBytes(StandardCharsets.UTF_8));
            return var.resolve("checkpoints").resolve("stream-" + inbox.getFileName() + "-" + HexFormat.of().formatHex(digest, 0, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims {@code checkpoint} for {@code inbox}, or refuses it when it was written for another inbox. */
    static void claim(Path checkpoint, Path inbox) {
        Path marker = checkpoint.resolve(INBOX_FILE);
        try {
            if (Files.isRegularFile(marker)) {
                String owner = Files.readString(marker, StandardCharsets.UTF_8).strip();
                if (!owner.equals(inbox.toString())) {
                    throw new UsageException("the checkpoint " + checkpoint + " belongs to the inbox " + owner + ", not to " + inbox
                            + ": give this inbox a checkpoint of its own (--checkpoint DIR, or leave it out for the inbox's default)");
                }
                return;
            }
            Files.createDirectories(checkpoint);
            Files.writeString(marker, inbox + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the checkpoint " + checkpoint, e);
        }
    }

    /** What is damaged, if the failure came from reading the checkpoint's own files. */
    static Optional<String> damage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (METADATA_LOGS.contains(frame.getClassName()) && !(t instanceof InterruptedException)) {
                    return Optional.of(t.getClass().getSimpleName() + ": " + t.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /** The words an operator needs when the checkpoint is damaged. */
    static String recovery(Path checkpoint, String damage) {
        return "the checkpoint " + checkpoint + " is damaged (" + damage + "). Recovery: move it aside "
                + "(mv " + checkpoint + " " + checkpoint + ".damaged) and start the stream again; the files still in the "
                + "inbox are then scored afresh, each exactly once (their rows are upserts by the same ids)";
    }
}
