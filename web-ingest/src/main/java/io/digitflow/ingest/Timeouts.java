package io.digitflow.ingest;

import java.time.Duration;

/**
 * How long the server waits on a client, so that a slow or silent one loses its connection and
 * never holds the service (all Undertow and XNIO settings, see {@link WebServer}).
 *
 * @param requestHeaders from a request's first byte to the end of its headers (REQUEST_PARSE_TIMEOUT)
 * @param idleConnection a connection with no request in progress (NO_REQUEST_TIMEOUT)
 * @param read           no byte at all while the server waits to read (XNIO READ_TIMEOUT): a body,
 *                       and also the next request of an idle connection, so it bounds that too
 * @param write          no byte taken while an answer is being written (XNIO WRITE_TIMEOUT)
 * @param upload         the whole body of an upload, with its minimum rate
 */
record Timeouts(Duration requestHeaders, Duration idleConnection, Duration read, Duration write, UploadDeadline upload) {
    static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(20),
            Duration.ofSeconds(60), UploadDeadline.DEFAULT);

    static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    Timeouts withRead(Duration r) {
        return new Timeouts(requestHeaders, idleConnection, r, write, upload);
    }

    Timeouts withIdle(Duration headers, Duration idle) {
        return new Timeouts(headers, idle, read, write, upload);
    }

    Timeouts withUpload(UploadDeadline u) {
        return new Timeouts(requestHeaders, idleConnection, read, write, u);
    }
}
