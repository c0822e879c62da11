package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.inbox.Inbox;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients against the real server on real sockets: they lose their connections and slots at
 * the timeouts, and never the service. Each test starts its own server, most with short timeouts
 * so the test runs in seconds; the first one runs the real defaults.
 */
class SlowClientsIT {
    @TempDir
    Path inbox;
    private static byte[] digit;

    @BeforeAll
    static void images() {
        digit = DigitImages.encode(DigitImages.canvasDrawing(DigitImages.mnistTest().image(0), 280), "png");
    }

    private WebOptions options() {
        return WebServerIT.options(inbox, TestCassandra.settings().cassandraSpec(), 1);
    }

    @Test
    void withFiftySlowClientsHoldingConnectionsANormalUploadIsAcceptedWithinTwoSeconds() throws Exception {
        try (WebServer server = WebServer.start(options()); SlowClients slow = SlowClients.start(server.port(), 15, 15, 20)) {
            awaitOpen(slow, 50);
            awaitIncoming(20); // every slow body holds an upload slot
            HttpClient http = UploadLoad.client();
            String base = "http://127.0.0.1:" + server.port();
            List<Double> seconds = new ArrayList<>();
            // 15 s: past the 10 s grace, the slow bodies are dropped and come back, as an attacker's would.
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                UploadLoad.Sent sent = UploadLoad.send(http, base, i, digit);
                double s = (sent.endNanos() - sent.startNanos()) / 1e9;
                seconds.add(s);
                assertEquals(202, sent.status(), () -> "upload under attack: " + sent.status() + " " + sent.detail());
                assertTrue(s < 2.0, "an upload under attack took " + s + " s");
                Thread.sleep(250);
            }
            seconds.sort(Double::compare);
            System.out.printf("SlowClientsIT: %d uploads beside 50 slow clients (%d open at the end, %d dropped by the server and "
                    + "replaced): every one 202, median %.0f ms, slowest %.0f ms%n", seconds.size(), slow.open(), slow.dropped(),
                    1000 * seconds.get(seconds.size() / 2), 1000 * seconds.get(seconds.size() - 1));
            assertTrue(slow.dropped() >= 20, "the slow bodies lose their slots after the 10 s grace: dropped " + slow.dropped());
        }
    }

    @Test
    void aDrippingUploadLosesItsSlotToTheNextUpload() throws Exception {
        Timeouts t = Timeouts.DEFAULT.withUpload(new UploadDeadline(Duration.ofSeconds(1), 1024, Duration.ofSeconds(30)));
        try (WebServer server = WebServer.start(options().withUploadSlots(1, 4).withTimeouts(t));
                SlowClients slow = SlowClients.start(server.port(), 0, 0, 1)) {
            awaitIncoming(1); // the dripper holds the only slot
            long start = System.nanoTime();
            RawHttp.Answer a = RawHttp.send(server.port(), new Multipart().file("next.png", digit).request("Connection: close\r\n"));
            double s = (System.nanoTime() - start) / 1e9;
            assertEquals(202, a.status(), a::toString);
            assertTrue(s < 4, "the next upload waited " + s + " s for the dripper's slot");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (slow.dropped() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(slow.dropped() >= 1, "the dripper was dropped");
        }
        assertIncomingEmpty();
    }

    @Test
    void theDrippersAnswerIs408InJson() throws Exception {
        Timeouts t = Timeouts.DEFAULT.withUpload(new UploadDeadline(Duration.ofSeconds(1), 1024, Duration.ofSeconds(30)));
        try (WebServer server = WebServer.start(options().withTimeouts(t)); RawHttp http = new RawHttp(server.port())) {
            byte[] body = new Multipart().file("slow.png", digit).body();
            http.write(Multipart.head(body.length, ""));
            for (int i = 0; i < 10 && !http.answered(); i++) {
                http.write(new byte[] {body[i]});
                Thread.sleep(300);
            }
            RawHttp.Answer a = http.answer().orElseThrow();
            assertEquals(408, a.status(), a::toString);
            assertTrue(a.isJsonError() && a.body().contains("too slow"), a::toString);
        }
        assertIncomingEmpty();
    }

    @Test
    void aBodyThatStopsIsDroppedAtTheReadTimeout() throws Exception {
        try (WebServer server = WebServer.start(options().withUploadSlots(1, 4).withTimeouts(Timeouts.DEFAULT.withRead(Duration.ofSeconds(1))));
                RawHttp silent = new RawHttp(server.port())) {
            byte[] body = new Multipart().file("a.png", digit).body();
            silent.write(Multipart.concat(Multipart.head(body.length, ""), java.util.Arrays.copyOf(body, 300)));
            awaitIncoming(1);
            long start = System.nanoTime();
            var answer = silent.answer();
            double s = (System.nanoTime() - start) / 1e9;
            assertTrue(answer.isEmpty() || answer.get().status() == 408, () -> "expected 408 or a closed connection: " + answer);
            assertTrue(s < 4, "dropped after " + s + " s");
            RawHttp.Answer next = RawHttp.send(server.port(), new Multipart().file("next.png", digit).request("Connection: close\r\n"));
            assertEquals(202, next.status(), "the slot is free again: " + next);
        }
    }

    @Test
    void slowHeadersAndIdleConnectionsAreClosed() throws Exception {
        Timeouts t = Timeouts.DEFAULT.withIdle(Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (WebServer server = WebServer.start(options().withTimeouts(t));
                RawHttp idle = new RawHttp(server.port()); RawHttp slowloris = new RawHttp(server.port())) {
            long start = System.nanoTime();
            slowloris.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            Thread dripper = new Thread(() -> {
                try {
                    for (int i = 0; i < 20; i++) {
                        Thread.sleep(250);
                        slowloris.write("X");
                    }
                } catch (Exception closed) {
                    // the server closed the connection
                }
            });
            dripper.start();
            assertTrue(idle.closedByServer(), "an idle connection is closed");
            double idleSeconds = (System.nanoTime() - start) / 1e9;
            assertTrue(slowloris.closedByServer(), "a request whose headers never end is closed");
            double slowSeconds = (System.nanoTime() - start) / 1e9;
            dripper.join();
            System.out.printf("SlowClientsIT: idle connection closed after %.1f s, slow headers after %.1f s (both timeouts 1 s)%n",
                    idleSeconds, slowSeconds);
            assertTrue(idleSeconds < 4 && slowSeconds < 4, idleSeconds + " / " + slowSeconds);
        }
    }

    @Test
    void beyondTheConnectionCapNewConnectionsWaitForAFreeOne() throws Exception {
        Timeouts t = Timeouts.DEFAULT.withIdle(Duration.ofSeconds(2), Duration.ofSeconds(2));
        try (WebServer server = WebServer.start(options().withMaxConnections(4).withTimeouts(t))) {
            List<RawHttp> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(new RawHttp(server.port()));
                }
                Thread.sleep(300); // accepted
                long start = System.nanoTime();
                // The page, not /healthz: its first call waits for the connection to Cassandra.
                RawHttp.Answer a = RawHttp.send(server.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf("SlowClientsIT: with the cap (4) taken by idle connections, a fifth was answered after %.1f s "
                        + "(the idle ones are closed after 2 s)%n", s);
                assertEquals(200, a.status(), a::toString);
                assertTrue(s > 1.2, "the fifth connection was served at once (" + s + " s): no cap");
                assertTrue(s < 5, "the fifth connection waited " + s + " s, long after the idle ones were closed");
            } finally {
                for (RawHttp h : held) {
                    h.close();
                }
            }
        }
    }

    @Test
    void aClientStillSendingAfterARefusalSeesTheAnswerAndIsCutOff() throws Exception {
        try (WebServer server = WebServer.start(options()); RawHttp http = new RawHttp(server.port())) {
            http.write(("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + Multipart.BOUNDARY
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = chunk(new byte[64 * 1024]);
            http.write(chunk(("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"endless.png\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            Thread sender = new Thread(() -> {
                try {
                    while (true) {
                        http.write(chunk); // forever, until the server cuts it off
                    }
                } catch (Exception cut) {
                    // expected
                }
            });
            long start = System.nanoTime();
            sender.start();
            RawHttp.Answer a = http.answer().orElseThrow();
            assertEquals(413, a.status(), a::toString);
            sender.join(10_000);
            double s = (System.nanoTime() - start) / 1e9;
            assertTrue(!sender.isAlive() && s < Json.LINGER_SECONDS + 4, "an endless body was cut off after " + s + " s");
        }
        assertIncomingEmpty();
    }

    @Test
    void aClientSendingABodyDeclaredTooLargeReadsThe413AfterSendingMore() throws Exception {
        try (WebServer server = WebServer.start(options()); RawHttp http = new RawHttp(server.port())) {
            long declared = 64L << 20;
            http.write(("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + Multipart.BOUNDARY
                    + "\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // As a browser does: it goes on sending for a while before it reads what came back.
            byte[] piece = new byte[64 * 1024];
            for (int i = 0; i < 32; i++) {
                http.write(piece);
                Thread.sleep(10);
            }
            RawHttp.Answer a = http.answer().orElseThrow(() -> new AssertionError("the connection was reset before the answer was read"));
            assertEquals(413, a.status(), a::toString);
            assertTrue(a.isJsonError(), a::toString);
        }
        assertIncomingEmpty();
    }

    private static byte[] chunk(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(data);
        b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static void awaitOpen(SlowClients slow, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (slow.open() < n) {
            assertTrue(System.nanoTime() < deadline, slow.open() + " of " + n + " slow clients connected");
            Thread.sleep(20);
        }
    }

    private void awaitIncoming(int files) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (incoming() < files) {
            assertTrue(System.nanoTime() < deadline, incoming() + " of " + files + " slow uploads reached the server");
            Thread.sleep(20);
        }
    }

    private long incoming() throws Exception {
        try (Stream<Path> files = Files.list(inbox.resolve(Inbox.INCOMING))) {
            return files.count();
        }
    }

    private void assertIncomingEmpty() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (incoming() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, incoming(), "nothing left in the incoming folder");
    }

}
