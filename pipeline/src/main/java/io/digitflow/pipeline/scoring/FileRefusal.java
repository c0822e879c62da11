package io.digitflow.pipeline.scoring;

/**
 * Why an inbox entry was refused before any image decoding: stored as the row's reject reason,
 * beside the image reasons of {@link io.digitflow.preprocess.RejectReason}.
 */
public enum FileRefusal {
    /** Over the size limit: refused from its length alone, not a byte read. */
    TOO_LARGE("too_large"),
    /** A symbolic link, FIFO, socket or device: never read, followed, moved or deleted through. */
    NOT_A_REGULAR_FILE("not_a_regular_file"),
    /** The file system refused to read it (permissions, I/O error). */
    UNREADABLE("unreadable"),
    /** A name starting with '_' or '.', which Spark's file source never lists. */
    HIDDEN_NAME("hidden_name"),
    /** Scoring it failed in a way that stopped its whole batch; isolated and set aside. */
    SCORING_FAILED("scoring_failed");

    private final String code;

    FileRefusal(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
