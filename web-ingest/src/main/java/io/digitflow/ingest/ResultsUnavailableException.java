package io.digitflow.ingest;

/** Cassandra cannot be reached now; the message names no host (it is shown to anyone), the cause does. */
final class ResultsUnavailableException extends RuntimeException {
    ResultsUnavailableException(Throwable cause) {
        super("the results database is unavailable; retry in a moment", cause);
    }
}
