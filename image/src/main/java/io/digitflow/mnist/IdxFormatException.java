package io.digitflow.mnist;

/** An IDX file that is not what it claims to be: wrong magic number, truncated, or inconsistent. */
public class IdxFormatException extends RuntimeException {
    public IdxFormatException(String message) {
        super(message);
    }
}
