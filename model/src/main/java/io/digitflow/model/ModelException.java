package io.digitflow.model;

/** A model that cannot be used: missing version, missing or corrupt network file, bad metadata. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
