package io.digitflow.preprocess;

/** Thrown between the preprocessing steps; {@link Preprocessor} turns it into a result, never lets it escape. */
final class RejectedImageException extends Exception {
    private final RejectReason reason;

    RejectedImageException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    RejectReason reason() {
        return reason;
    }
}
