package io.digitflow.ingest;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.MultipartParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;
import org.xnio.channels.ReadTimeoutException;

/**
 * Reading one upload's body, asynchronously on its connection's I/O thread (Undertow's
 * {@link Receiver}), through Undertow's multipart parser into {@link MultipartParts}. Everything
 * here runs on that one thread: the chunks, the errors and the deadline's timer, so there is no
 * race between them. Every way out answers in JSON and leaves no file behind: too large 413, not
 * multipart or cut short 400, too slow 408 ({@link UploadDeadline}), disk full 507; a complete body
 * goes on to {@link UploadAcceptance} on a worker thread.
 */
final class UploadReceipt {
    private static final Logger LOG = LoggerFactory.getLogger(UploadReceipt.class);

    private enum Phase { RECEIVING, CHECKING, ENDED }

    private final HttpServerExchange exchange;
    private final MultipartParts parts;
    private final MultipartParser.ParseState parser;
    private final UploadDeadline deadline;
    private final long maxBytes;
    private final String tooLarge;
    private final UploadAcceptance acceptance;
    private final long start = System.nanoTime();
    private long received;
    private Phase phase = Phase.RECEIVING;
    private Receiver receiver;
    private XnioExecutor.Key timer;

    UploadReceipt(HttpServerExchange exchange, MultipartParts parts, String boundary, UploadDeadline deadline, long maxBytes,
            String tooLarge, UploadAcceptance acceptance) {
        this.exchange = exchange;
        this.parts = parts;
        // Part headers are UTF-8 (browsers send file names so); Undertow's default would be ISO-8859-1.
        this.parser = MultipartParser.beginParse(exchange.getConnection().getByteBufferPool(), parts,
                boundary.getBytes(StandardCharsets.US_ASCII), StandardCharsets.UTF_8.name());
        this.deadline = deadline;
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
        this.acceptance = acceptance;
    }

    void start() {
        // Whatever happens to the exchange, nothing of this upload stays in the incoming folder.
        exchange.addExchangeCompleteListener((ex, next) -> {
            cancelTimer();
            parts.close();
            next.proceed();
        });
        timer = exchange.getIoThread().executeAfter(this::onTimer, deadline.allowedNanos(0), TimeUnit.NANOSECONDS);
        receiver = exchange.getRequestReceiver();
        receiver.receivePartialBytes(this::onBytes, this::onError);
    }

    private void onBytes(HttpServerExchange ex, byte[] bytes, boolean last) {
        if (phase != Phase.RECEIVING) {
            return;
        }
        try {
            received += bytes.length;
            // Counted here, not by Undertow's max entity size: past it, Undertow's chunked decoder
            // closes the connection without a word, where the client should read 413.
            if (received > maxBytes) {
                refuse(413, tooLarge);
                return;
            }
            if (bytes.length > 0) {
                parts.fed(bytes.length);
                parser.parse(ByteBuffer.wrap(bytes));
            }
            if (last) {
                if (!parser.isComplete()) {
                    refuse(400, parts.begun() == 0 ? "no file part found: send one or more parts named 'file'"
                            : "the body ends before the multipart's closing boundary (cut short, or a Content-Length that lies)");
                    return;
                }
                phase = Phase.CHECKING;
                cancelTimer();
                exchange.dispatch(ErrorAnswers.guard(e -> acceptance.accept(e, parts)));
            }
        } catch (UploadRefused r) {
            refuse(r.status(), r.getMessage());
        } catch (MultipartParts.StorageFailure f) {
            storageFailed(f);
        } catch (IOException | RuntimeException e) {
            // The parser's MalformedMessageException, a bad transfer encoding, an unknown charset...
            LOG.debug("malformed multipart body", e);
            refuse(400, "the body is not valid multipart/form-data");
        }
    }

    private void onError(HttpServerExchange ex, IOException e) {
        if (phase != Phase.RECEIVING) {
            return;
        }
        if (e instanceof ReadTimeoutException) {
            refuse(408, "no data arrived for too long; the upload was dropped");
        } else {
            // The client went away (reset, closed): there is no one to answer.
            phase = Phase.ENDED;
            cancelTimer();
            parts.close();
            exchange.setPersistent(false);
            exchange.endExchange();
        }
    }

    /** The deadline's timer: re-armed while the body keeps earning time by arriving, else the upload is dropped. */
    private void onTimer() {
        timer = null;
        if (phase != Phase.RECEIVING) {
            return;
        }
        long elapsed = System.nanoTime() - start;
        long allowed = deadline.allowedNanos(received);
        if (elapsed < allowed) {
            timer = exchange.getIoThread().executeAfter(this::onTimer, allowed - elapsed, TimeUnit.NANOSECONDS);
            return;
        }
        refuse(408, String.format(java.util.Locale.ROOT, "the upload was too slow: %d bytes in %.0f s (at least %d bytes/s after %d s, "
                + "and at most %d s in all)", received, elapsed / 1e9, deadline.minBytesPerSecond(), deadline.grace().toSeconds(),
                deadline.max().toSeconds()));
    }

    private void storageFailed(MultipartParts.StorageFailure f) {
        if (DiskFull.isCause(f)) {
            LOG.warn("an upload was refused: the inbox's file system is full ({})", f.getMessage());
            refuse(507, "the server has no room for this upload now; nothing of it was kept");
        } else {
            LOG.error("an upload could not be written to the incoming folder", f);
            refuse(500, "the upload could not be stored; nothing of it was kept");
        }
    }

    private void refuse(int status, String message) {
        phase = Phase.ENDED;
        cancelTimer();
        if (receiver != null) {
            receiver.pause();
        }
        parts.close();
        Json.error(exchange, status, message); // the rest of the body: Json.LINGER_SECONDS
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.remove();
            timer = null;
        }
    }
}
