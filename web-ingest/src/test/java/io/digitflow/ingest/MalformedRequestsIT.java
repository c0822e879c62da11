package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.inbox.Inbox;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile requests, written byte for byte on real sockets to the real server: each
 * gets a 4xx, in JSON with its reason wherever a handler answers (Undertow itself answers a
 * request whose headers it cannot parse with a bare 400), never a 500, and none leaves a file in
 * the inbox or its incoming folder.
 */
class MalformedRequestsIT {
    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    @TempDir
    static Path inbox;
    private static WebServer server;
    private static int port;
    private static byte[] digit;

    @BeforeAll
    static void start() {
        server = WebServer.start(WebServerIT.options(inbox, TestCassandra.settings().cassandraSpec(), 1));
        port = server.port();
        digit = DigitImages.encode(DigitImages.canvasDrawing(DigitImages.mnistTest().image(0), 280), "png");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        try (Stream<Path> files = Files.walk(inbox)) {
            List<Path> left = files.filter(Files::isRegularFile).toList();
            assertEquals(List.of(), left, "a refused request left files behind");
        }
    }

    private static RawHttp.Answer refused(int status, byte[] request, String reasonContains) throws Exception {
        RawHttp.Answer a = RawHttp.send(port, request);
        assertEquals(status, a.status(), a::toString);
        assertTrue(a.isJsonError(), () -> "not a JSON error: " + a);
        assertTrue(a.body().contains(reasonContains), () -> "the reason should say '" + reasonContains + "': " + a.body());
        return a;
    }

    @Test
    void moreThanAThousandPartsIs413() throws Exception {
        Multipart body = new Multipart();
        for (int i = 0; i <= WebOptions.DEFAULT_MAX_PARTS; i++) {
            body.file("p" + i + ".png", PNG_HEAD);
        }
        refused(413, body.request(""), "more than 1000 files");
    }

    @Test
    void zeroBytePartsAreRefused() throws Exception {
        refused(400, new Multipart().file("a.png", digit).file("empty.png", new byte[0]).request(""), "'empty.png' is empty");
    }

    @Test
    void partsWithoutAFileNameOrUnderAnotherNameAreRefused() throws Exception {
        refused(400, new Multipart().file("a.png", digit).part("form-data; name=\"file\"", "just text".getBytes()).request(""),
                "no file name");
        refused(400, new Multipart().part("form-data; name=\"picture\"; filename=\"b.png\"", digit).request(""), "named 'picture'");
        refused(400, new Multipart().part("attachment; filename=\"c.png\"", digit).request(""), "not a form field");
        refused(400, new Multipart().request(""), "no file part");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        byte[] big = new Multipart().file("big.png", padded(digit, 2 * 1024 * 1024)).body();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + Multipart.BOUNDARY
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int at = 0; at < big.length; at += 64 * 1024) {
            int n = Math.min(64 * 1024, big.length - at);
            request.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(big, at, n);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (RawHttp http = new RawHttp(port)) {
            // Read while writing: the server answers as soon as the limit is passed and closes, and
            // a client that only reads after sending everything may lose the answer to the reset.
            Thread writer = new Thread(() -> {
                try {
                    http.write(request.toByteArray());
                } catch (java.io.IOException closedWhileSending) {
                    // expected: the server stopped reading at the limit
                }
            });
            writer.start();
            RawHttp.Answer a = http.answer().orElseThrow(() -> new AssertionError("no answer to a chunked body over the limit"));
            writer.join(10_000);
            assertEquals(413, a.status(), a::toString);
            assertTrue(a.isJsonError() && a.body().contains("1 MB"), a::toString);
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBody() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            http.write(Multipart.head(50L * 1024 * 1024, ""));
            RawHttp.Answer a = http.answer().orElseThrow();
            assertEquals(413, a.status(), a::toString);
            assertTrue(a.isJsonError(), a::toString);
        }
    }

    @Test
    void aClientStillSendingABodyOverTheDeclaredLimitReadsThe413() throws Exception {
        int declared = 4 * 1024 * 1024;
        try (RawHttp http = new RawHttp(port)) {
            http.write(Multipart.head(declared, ""));
            // The client goes on sending its body after the answer, as HTTP clients do. Had the server
            // closed the connection with the body unread, these bytes would reset it, and a reset
            // destroys the answer before the client reads it.
            Thread writer = new Thread(() -> {
                try {
                    for (int sent = 0; sent < declared; sent += 64 * 1024) {
                        http.write(new byte[64 * 1024]);
                        Thread.sleep(10);
                    }
                } catch (java.io.IOException | InterruptedException cut) {
                    // the server may close the connection once it has answered and the linger is over
                }
            });
            writer.start();
            Thread.sleep(300);
            RawHttp.Answer a = http.answer().orElseThrow(() -> new AssertionError("the connection closed without an answer"));
            writer.join(10_000);
            assertEquals(413, a.status(), a::toString);
            assertTrue(a.isJsonError() && a.body().contains("1 MB"), a::toString);
        }
    }

    @Test
    void aContentLengthShorterThanTheBodyCutsTheMultipartAnd400s() throws Exception {
        byte[] body = new Multipart().file("a.png", digit).body();
        byte[] request = Multipart.concat(Multipart.head(body.length / 2, ""), body);
        refused(400, request, "ends before the multipart's closing boundary");
    }

    @Test
    void aContentLengthLongerThanTheBodyIsDroppedAtTheReadTimeout(@TempDir Path otherInbox) throws Exception {
        Timeouts quick = Timeouts.DEFAULT.withRead(java.time.Duration.ofSeconds(1));
        try (WebServer strict = WebServer.start(WebServerIT.options(otherInbox, TestCassandra.settings().cassandraSpec(), 1).withTimeouts(quick));
                RawHttp http = new RawHttp(strict.port())) {
            byte[] body = new Multipart().file("a.png", digit).body();
            http.write(Multipart.concat(Multipart.head(body.length + 1000, ""), body));
            long start = System.nanoTime();
            var a = http.answer();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(a.isEmpty() || a.get().status() == 408, () -> "expected 408 or a closed connection, got " + a);
            assertTrue(seconds < 5, "the silent connection was dropped after " + seconds + " s");
            // The handler's worker deletes the part once its read fails, which may come just after the socket closed.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!incomingIsEmpty(otherInbox) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(incomingIsEmpty(otherInbox), "its part was deleted");
        }
    }

    private static boolean incomingIsEmpty(Path inbox) throws java.io.IOException {
        try (var files = Files.list(inbox.resolve(Inbox.INCOMING))) {
            return files.findAny().isEmpty();
        }
    }

    @Test
    void hugeHeadersAreRefusedByUndertowBeforeAnyHandler() throws Exception {
        String huge = "GET /api/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(64 * 1024) + "\r\n\r\n";
        RawHttp.Answer a = RawHttp.send(port, huge);
        assertTrue(a.status() == 400 || a.status() == 431, a::toString);
        StringBuilder many = new StringBuilder("GET /api/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 300; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        RawHttp.Answer b = RawHttp.send(port, many.append("\r\n").toString());
        assertTrue(b.status() == 400 || b.status() == 431, b::toString);
    }

    @Test
    void hugePartHeadersAreRefused() throws Exception {
        String disposition = "form-data; name=\"file\"; filename=\"a.png\"\r\nX-Padding: " + "b".repeat(200 * 1024);
        refused(400, new Multipart().part(disposition, digit).request(""), "headers are larger than 64 KB");
    }

    @Test
    void bodiesThatAreNotMultipartAre400() throws Exception {
        refused(400, ("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII), "multipart/form-data");
        refused(400, ("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII), "multipart/form-data");
        byte[] garbage = "this is not multipart at all".getBytes(StandardCharsets.US_ASCII);
        refused(400, Multipart.concat(Multipart.head(garbage.length, ""), garbage), "no file part");
        byte[] badHeader = ("--" + Multipart.BOUNDARY + "\r\nthis line has no colon\r\n\r\nxx\r\n--" + Multipart.BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        refused(400, Multipart.concat(Multipart.head(badHeader.length, ""), badHeader), "not valid multipart");
    }

    @Test
    void filesThatAreNotImagesAre415AndBombsAre422() throws Exception {
        refused(415, new Multipart().file("a.png", digit).file("notes.txt", "hello".getBytes()).request(""), "'notes.txt' is not an image");
        RawHttp.Answer bomb = refused(422, new Multipart().file("ok.png", digit).file("bomb.png", DigitImages.pngHeaderClaiming(30_000, 30_000)).request(""),
                "'bomb.png' is too large");
        assertTrue(bomb.body().contains("\"reason\":\"too_large\"") && bomb.body().contains("megapixels"), bomb::toString);
    }

    @Test
    void otherMethodsAre405AndUnknownPathsAre404InJson() throws Exception {
        for (String method : List.of("DELETE", "PUT", "TRACE", "PATCH")) {
            RawHttp.Answer a = RawHttp.send(port, method + " /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
            assertEquals(405, a.status(), () -> method + ": " + a);
            assertTrue(a.isJsonError(), a::toString);
        }
        RawHttp.Answer unknown = RawHttp.send(port, "GET /etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(404, unknown.status(), unknown::toString);
        assertTrue(unknown.isJsonError(), unknown::toString);
        RawHttp.Answer noHost = RawHttp.send(port, "GET /api/predictions HTTP/1.1\r\n\r\n");
        assertEquals(400, noHost.status(), noHost::toString);
    }

    @Test
    void aRequestEndingMidBodyLeavesNothingAndTheServerGoesOn() throws Exception {
        byte[] body = new Multipart().file("a.png", padded(digit, 200_000)).body();
        try (RawHttp http = new RawHttp(port)) {
            http.write(Multipart.head(body.length, ""));
            http.write(java.util.Arrays.copyOf(body, body.length / 2));
            awaitIncomingEmpty(false);
        }
        awaitIncomingEmpty(true);
        RawHttp.Answer ok = RawHttp.send(port, new Multipart().file("a.png", digit).request("Connection: close\r\n"));
        assertEquals(202, ok.status(), ok::toString);
        clearInbox();
    }

    private static void awaitIncomingEmpty(boolean empty) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (isIncomingEmpty() != empty) {
            assertTrue(System.nanoTime() < deadline, "the incoming folder did not become " + (empty ? "empty" : "busy"));
            Thread.sleep(20);
        }
    }

    private static boolean isIncomingEmpty() throws Exception {
        try (Stream<Path> files = Files.list(inbox.resolve(Inbox.INCOMING))) {
            return files.findAny().isEmpty();
        }
    }

    private static void clearInbox() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(inbox)) {
            all.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path p : files) {
            Files.delete(p);
        }
    }

    /** The image's bytes followed by zeros up to {@code size}: still a PNG by its first bytes. */
    static byte[] padded(byte[] image, int size) {
        return java.util.Arrays.copyOf(image, Math.max(size, image.length));
    }
}
