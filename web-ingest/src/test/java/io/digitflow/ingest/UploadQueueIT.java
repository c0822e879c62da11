package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.inbox.Inbox;
import io.digitflow.testkit.TestCassandra;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload bound over real HTTP: with every slot taken, the next upload waits for one (and is
 * accepted), only an upload beyond the queue is answered 503 with Retry-After, and lookups are
 * still answered. A slot is held deterministically by an upload whose body stops half-way until
 * the test sends the rest.
 */
class UploadQueueIT {
    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    @TempDir
    Path inbox;

    @Test
    void anUploadBeyondTheSlotsWaitsForOneAndIsAccepted() throws Exception {
        try (WebServer server = WebServer.start(options(1, 1)); RawUpload holding = new RawUpload(server.port())) {
            awaitPartsOnDisk(1);
            try (RawUpload waiting = new RawUpload(server.port())) {
                waiting.sendRest();
                Thread.sleep(500);
                assertFalse(waiting.answered(), "the second upload waits while the only slot is taken");
                assertEquals(202, holding.finish());
                assertEquals(202, waiting.status());
            }
            try (Stream<Path> files = Files.list(inbox)) {
                assertEquals(2, files.filter(Files::isRegularFile).count(), "both uploads are in the inbox");
            }
        }
    }

    @Test
    void anUploadBeyondTheQueueIsRefusedWith503AndRetryAfter() throws Exception {
        try (WebServer server = WebServer.start(options(1, 1)); RawUpload holding = new RawUpload(server.port())) {
            awaitPartsOnDisk(1);
            try (RawUpload first = new RawUpload(server.port()); RawUpload second = new RawUpload(server.port())) {
                first.sendRest();
                second.sendRest();
                // One of them fills the queue and waits; the other, whichever arrives last, is refused at once.
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!first.answered() && !second.answered()) {
                    assertTrue(System.nanoTime() < deadline, "neither upload beyond the slot was refused");
                    Thread.sleep(20);
                }
                RawUpload refusedUpload = first.answered() ? first : second;
                RawUpload queued = refusedUpload == first ? second : first;
                RawUpload.Answer refused = refusedUpload.answer();
                assertEquals(503, refused.status(), refused.body());
                assertEquals("1", refused.headers().get("retry-after"));
                assertTrue(Json.MAPPER.readTree(refused.body()).get("error").asText().contains("retry"), refused.body());
                assertEquals(202, holding.finish(), "the upload holding the slot is unaffected");
                assertEquals(202, queued.answer().status(), "the queued upload is accepted");
            }
            try (Stream<Path> files = Files.list(inbox)) {
                assertEquals(2, files.filter(Files::isRegularFile).count(), "the two accepted uploads, not the refused one");
            }
        }
    }

    private WebOptions options(int slots, int queued) {
        return WebServerIT.options(inbox, TestCassandra.settings().cassandraSpec(), 1).withUploadSlots(slots, queued);
    }

    @Test
    void lookupsAreAnsweredWhileEveryUploadSlotIsHeld() throws Exception {
        WebOptions options = WebServerIT.options(inbox, TestCassandra.settings().cassandraSpec(), 1);
        try (WebServer server = WebServer.start(options)) {
            List<RawUpload> held = new ArrayList<>();
            try {
                for (int i = 0; i < options.maxConcurrentUploads(); i++) {
                    held.add(new RawUpload(server.port()));
                }
                awaitPartsOnDisk(options.maxConcurrentUploads());
                HttpRequest lookup = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/predictions/" + UUID.randomUUID()))
                        .timeout(Duration.ofSeconds(10)).GET().build();
                assertEquals(404, UploadLoad.client().send(lookup, HttpResponse.BodyHandlers.ofString()).statusCode(),
                        "a lookup does not wait for a worker thread held by an upload");
                for (RawUpload upload : held) {
                    assertEquals(202, upload.finish());
                }
            } finally {
                for (RawUpload upload : held) {
                    upload.close();
                }
            }
        }
    }

    /**
     * A one-part upload over a raw socket that sends the headers and the part's first bytes at
     * once and the rest only when told: the JDK client buffers a streamed body, a socket does not.
     */
    private static final class RawUpload implements AutoCloseable {
        private static final String BOUNDARY = "----digitflow-raw";
        private final Socket socket;
        private final byte[] end = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);

        RawUpload(int port) throws IOException {
            byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"raw.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            int length = head.length + PNG_HEAD.length + end.length;
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                    + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write(PNG_HEAD);
            out.flush();
        }

        void sendRest() throws IOException {
            socket.getOutputStream().write(end);
            socket.getOutputStream().flush();
        }

        boolean answered() throws IOException {
            return socket.getInputStream().available() > 0;
        }

        record Answer(int status, Map<String, String> headers, String body) {
        }

        /** The whole answer (waits for it; the server closes the connection after it). */
        Answer answer() throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            StringBuilder body = new StringBuilder();
            in.lines().forEach(body::append);
            return new Answer(status, headers, body.toString());
        }

        int status() throws IOException {
            return answer().status();
        }

        int finish() throws IOException {
            sendRest();
            return status();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A held upload has its slot once its part is being streamed to the hidden incoming folder. */
    private void awaitPartsOnDisk(int uploads) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (countIncoming() < uploads) {
            assertTrue(System.nanoTime() < deadline, () -> countIncoming() + " of " + uploads + " held uploads reached the server");
            Thread.sleep(20);
        }
    }

    private long countIncoming() {
        try (Stream<Path> files = Files.list(inbox.resolve(Inbox.INCOMING))) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
