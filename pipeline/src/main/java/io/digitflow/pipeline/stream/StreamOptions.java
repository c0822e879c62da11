package io.digitflow.pipeline.stream;

import io.digitflow.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The stream's options, resolved once (see {@link StreamJob} for the flags).
 *
 * @param inbox           the real path of the inbox (a linked inbox resolved once, so nothing below it is a link)
 * @param archive         where scored files go, or null to delete them
 * @param maxFileBytes    larger files are refused unread
 * @param keep            how long the archive and quarantine keep an entry
 * @param keepBytes       how much each of them keeps at most
 * @param minFreeBytes    the free-space floor under which the stream pauses
 * @param maxLogBytes     the size of the file source's log past which the checkpoint is renewed when the inbox is empty
 * @param driverMaxFiles  micro-batches of at most this many files are scored on the driver, without a Spark job
 */
record StreamOptions(Settings settings, Path inbox, Path checkpoint, Path archive, Path quarantine, int maxFiles, int pollMillis,
        String master, Optional<String> model, long maxFileBytes, Duration keep, long keepBytes, long minFreeBytes,
        long maxLogBytes, int driverMaxFiles) {

    String describe() {
        return settings.describe() + "\n"
                + "  checkpoint  " + checkpoint + "\n"
                + "  archive     " + (archive == null ? "(scored files are deleted)" : archive) + "\n"
                + "  quarantine  " + quarantine + "\n"
                + "  keeps       " + keep.toDays() + " days, at most " + (keepBytes >> 20) + " MB each in archive and quarantine\n"
                + "  files       at most " + (maxFileBytes >> 20) + " MB each, " + maxFiles + " per micro-batch (up to " + driverMaxFiles
                + " scored on the driver); inbox looked at every " + pollMillis + " ms when idle\n"
                + "  disk        pauses under " + (minFreeBytes >> 20) + " MB free"
                + model.map(m -> "\n  model       " + m + " (pinned)").orElse("");
    }
}
