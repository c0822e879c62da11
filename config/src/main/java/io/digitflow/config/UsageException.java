package io.digitflow.config;

/** A mistake in how a command was called; commands print its message and exit with status 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
