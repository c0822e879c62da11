package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.testkit.TestCassandra;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload bound over real HTTP: with every slot taken, the next upload waits for one (and is
 * accepted), and only an upload beyond the queue is answered 503 with Retry-After. A slot is held
 * deterministically by an upload whose body stops half-way until the test sends the rest.
 */
class UploadQueueIT {
    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    @TempDir
    Path inbox;

    @Test
    void uploadsBeyondTheSlotsWaitAndOnlyThoseBeyondTheQueueGet503() throws Exception {
        WebOptions defaults = WebServerIT.options(inbox, TestCassandra.settings().cassandraSpec(), 1);
        try (WebServer server = WebServer.start(new WebOptions(defaults.settings(), 0, defaults.maxUploadBytes(), 1, 1))) {
            String base = "http://127.0.0.1:" + server.port();
            try (StalledUpload holding = new StalledUpload(server.port())) {
                awaitPartOnDisk();
                assertWaitsThenQueues(base, holding);
            }
        }
    }

    private void assertWaitsThenQueues(String base, StalledUpload holding) throws Exception {
        CompletableFuture<HttpResponse<String>> waiting = UploadLoad.client()
                .sendAsync(WebServerIT.upload(base, List.of(Map.entry("waits.png", PNG_HEAD))), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        assertFalse(waiting.isDone(), "the second upload waits while the only slot is taken");

        HttpResponse<String> refused = UploadLoad.client()
                .send(WebServerIT.upload(base, List.of(Map.entry("refused.png", PNG_HEAD))), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
        assertTrue(Json.MAPPER.readTree(refused.body()).get("error").asText().contains("retry"), refused.body());

        assertEquals(202, holding.finish());
        assertEquals(202, waiting.get(20, TimeUnit.SECONDS).statusCode(), () -> waiting.join().body());
        try (Stream<Path> files = Files.list(inbox)) {
            assertEquals(2, files.filter(Files::isRegularFile).count(), "the two accepted uploads, not the refused one");
        }
    }

    /**
     * A one-part upload over a raw socket that sends the headers and the part's first bytes, then
     * stops until {@link #finish} sends the rest: the JDK client buffers a streamed body, a socket does not.
     */
    private static final class StalledUpload implements AutoCloseable {
        private static final String BOUNDARY = "----digitflow-stalled";
        private final Socket socket;
        private final byte[] end = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);

        StalledUpload(int port) throws IOException {
            byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"held.png\"\r\n"
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

        /** Sends the rest of the body and returns the status code of the answer. */
        int finish() throws IOException {
            socket.getOutputStream().write(end);
            socket.getOutputStream().flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The held upload has a slot once its part is being streamed to the hidden incoming folder. */
    private void awaitPartOnDisk() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (countIncoming() == 0) {
            assertTrue(System.nanoTime() < deadline, "the held upload never reached the server");
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
