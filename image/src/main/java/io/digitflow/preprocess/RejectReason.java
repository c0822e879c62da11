package io.digitflow.preprocess;

/** Why an upload cannot be scored. The code is stored in Cassandra and returned by the API. */
public enum RejectReason {
    NOT_AN_IMAGE("not_an_image"),
    UNSUPPORTED("unsupported"),
    TRUNCATED("truncated"),
    TOO_LARGE("too_large"),
    NO_INK("no_ink");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
