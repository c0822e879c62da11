package io.digitflow.ingest;

import io.digitflow.inbox.Inbox;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Locale;

/**
 * {@code POST /api/images}: multipart, one or more file parts named {@code file}. The body is read
 * without holding a thread ({@link UploadReceipt}: a slow client costs a connection and a slot,
 * never a worker, and loses both at its deadline); each part is streamed to disk in the inbox's
 * hidden {@code .incoming} folder, then {@link UploadAcceptance} checks them on a worker thread and
 * hands them to the inbox all together or not at all.
 */
final class UploadHandler implements HttpHandler {
    private final Inbox inbox;
    private final long maxBytes;
    private final int maxParts;
    private final UploadDeadline deadline;
    private final UploadAcceptance acceptance;

    UploadHandler(Inbox inbox, long maxBytes, int maxParts, UploadDeadline deadline) {
        this.inbox = inbox;
        this.maxBytes = maxBytes;
        this.maxParts = maxParts;
        this.deadline = deadline;
        this.acceptance = new UploadAcceptance(new Handover(inbox));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!exchange.isInIoThread()) {
            // Resumed from the upload queue on a worker: the body is read by the connection's I/O thread.
            exchange.dispatch(exchange.getIoThread(), this);
            return;
        }
        // Refused by the declared length before a byte of the body is read.
        if (exchange.getRequestContentLength() > maxBytes) {
            Json.error(exchange, 413, tooLarge());
            return;
        }
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        String boundary = type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") ? null
                : Headers.extractQuotedValueFromHeader(type, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            Json.error(exchange, 400, "expected a multipart/form-data upload with one or more parts named 'file'");
            return;
        }
        // The size is counted while reading too, for chunked bodies (UploadReceipt).
        new UploadReceipt(exchange, new MultipartParts(inbox.incoming(), maxParts), boundary, deadline, maxBytes, tooLarge(), acceptance)
                .start();
    }

    private String tooLarge() {
        return "the upload is larger than the limit of " + maxBytes / (1024 * 1024) + " MB";
    }
}
