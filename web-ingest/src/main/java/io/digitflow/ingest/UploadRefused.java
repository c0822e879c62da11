package io.digitflow.ingest;

/** An upload answered with a 4xx (or 507) and a reason while it is read; no stack trace, it is not a fault. */
final class UploadRefused extends RuntimeException {
    private final int status;

    UploadRefused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
