package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.inbox.Inbox;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of the server's own surroundings, made for real: a full disk (a tmpfs this test mounts)
 * is 507 and leaves nothing half-written, also when it strikes between the parts of one upload;
 * Cassandra gone (its connections cut by a TCP proxy) is 503 in JSON; no anonymous answer names a
 * path or a host.
 */
class ErrorsIT {
    private static byte[] digit;

    @BeforeAll
    static void images() {
        digit = DigitImages.encode(DigitImages.canvasDrawing(DigitImages.mnistTest().image(0), 280), "png");
    }

    private static WebOptions options(Path inbox, String cassandra) {
        return WebServerIT.options(inbox, cassandra, 1);
    }

    private static Path mountPoint(String name) {
        return TestHome.root().resolve("web-ingest/target/small-fs/" + name + "-" + UUID.randomUUID());
    }

    @Test
    void aDiskThatFillsWhileAnUploadArrivesIs507AndKeepsNothing() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(mountPoint("bytes"), "size=256k");
                WebServer server = WebServer.start(options(disk.dir(), TestCassandra.settings().cassandraSpec()))) {
            RawHttp.Answer small = RawHttp.send(server.port(), new Multipart().file("small.png", digit).request("Connection: close\r\n"));
            assertEquals(202, small.status(), "a small upload still fits: " + small);
            RawHttp.Answer big = RawHttp.send(server.port(),
                    new Multipart().file("big.png", MalformedRequestsIT.padded(digit, 600 * 1024)).request("Connection: close\r\n"));
            assertEquals(507, big.status(), big::toString);
            assertTrue(big.isJsonError() && big.body().contains("no room"), big::toString);
            assertEquals(List.of(), files(disk.dir().resolve(Inbox.INCOMING)), "the half-written part was removed");
            assertEquals(1, images(disk.dir()), "only the small upload is in the inbox");
        }
    }

    @Test
    void aThreePartUploadWhoseLastPartCannotBeHandedInLeavesNoneOfTheThree() throws Exception {
        // 8 inodes: the root, .incoming and .meta, then three parts and two sidecars. The third
        // sidecar finds the file system full after two parts have gone into the inbox.
        try (SmallFileSystem disk = SmallFileSystem.mount(mountPoint("inodes"), "size=8m,nr_inodes=8");
                WebServer server = WebServer.start(options(disk.dir(), TestCassandra.settings().cassandraSpec()))) {
            byte[] two = new Multipart().file("1.png", digit).file("2.png", digit).request("Connection: close\r\n");
            RawHttp.Answer fits = RawHttp.send(server.port(), two);
            assertEquals(202, fits.status(), "two parts fit: " + fits);
            for (Path p : files(disk.dir())) {
                Files.delete(p);
            }
            for (Path p : files(disk.dir().resolve(Inbox.META))) {
                Files.delete(p);
            }

            byte[] three = new Multipart().file("1.png", digit).file("2.png", digit).file("3.png", digit).request("Connection: close\r\n");
            RawHttp.Answer full = RawHttp.send(server.port(), three);
            assertEquals(507, full.status(), full::toString);
            assertTrue(full.isJsonError() && full.body().contains("nothing of it was kept"), full::toString);
            assertEquals(List.of(), files(disk.dir()), "parts 1 and 2 were taken back out of the inbox");
            assertEquals(List.of(), files(disk.dir().resolve(Inbox.META)), "no sidecar is left");
            assertEquals(List.of(), files(disk.dir().resolve(Inbox.INCOMING)), "no part and no temporary sidecar is left");
        }
    }

    @Test
    void cassandraGoneIs503InJsonAndNoAnswerNamesAHostOrAPath(@TempDir Path inbox) throws Exception {
        InetSocketAddress node = TestCassandra.settings().cassandra().get(0);
        try (TcpProxy proxy = new TcpProxy(node.getHostString(), node.getPort());
                WebServer server = WebServer.start(options(inbox, "127.0.0.1:" + proxy.port()))) {
            int port = server.port();
            String id = UUID.randomUUID().toString();
            assertEquals(404, get(port, "/api/predictions/" + id).status(), "connected through the proxy");
            assertEquals(200, get(port, "/healthz").status());

            proxy.cut();
            for (String path : List.of("/api/predictions/" + id, "/api/predictions?limit=5", "/healthz")) {
                RawHttp.Answer a = get(port, path);
                assertEquals(503, a.status(), () -> path + ": " + a);
                assertTrue(a.headers().get("content-type").startsWith("application/json"), a::toString);
                assertNamesNothing(a, inbox, proxy.port(), node.getPort());
            }
            assertEquals("5", get(port, "/api/predictions/" + id).headers().get("retry-after"));

            proxy.restore();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int status;
            do {
                Thread.sleep(500);
                status = get(port, "/api/predictions/" + id).status();
            } while (status != 404 && System.nanoTime() < deadline);
            assertEquals(404, status, "lookups are answered again once Cassandra is back");
        }
    }

    @Test
    void aCassandraNeverReachedAndAMissingInboxAreNamedWithoutHostOrPath(@TempDir Path inbox) throws Exception {
        try (WebServer server = WebServer.start(options(inbox, "127.0.0.1:1"))) {
            RawHttp.Answer health = get(server.port(), "/healthz");
            assertEquals(503, health.status(), health::toString);
            assertNamesNothing(health, inbox, 1, 1);
            RawHttp.Answer lookup = get(server.port(), "/api/predictions?limit=3");
            assertEquals(503, lookup.status(), lookup::toString);
            assertNamesNothing(lookup, inbox, 1, 1);
            try (Stream<Path> all = Files.walk(inbox)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            RawHttp.Answer noInbox = get(server.port(), "/healthz");
            assertEquals(503, noInbox.status(), noInbox::toString);
            assertTrue(noInbox.body().contains("inbox"), noInbox::toString);
            assertNamesNothing(noInbox, inbox, 1, 1);
        }
    }

    private static void assertNamesNothing(RawHttp.Answer a, Path inbox, int... ports) {
        String body = a.body();
        assertTrue(!body.contains("127.0.0.1") && !body.contains("localhost") && !body.contains(inbox.toString()) && !body.contains("/"),
                () -> "the answer names a host or a path: " + body);
        for (int p : ports) {
            assertTrue(!body.contains(":" + p) && !body.matches(".*\\b" + p + "\\b.*") || p < 10, () -> "the answer names port " + p + ": " + body);
        }
    }

    private static RawHttp.Answer get(int port, String path) throws Exception {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private static long images(Path dir) throws Exception {
        return files(dir).stream().filter(p -> p.getFileName().toString().endsWith(".png")).count();
    }
}
