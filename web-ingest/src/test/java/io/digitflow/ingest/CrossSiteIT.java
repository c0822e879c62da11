package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another site's page can make a browser send, sent on real sockets: cross-origin writes are
 * refused, host names the server does not know are refused (DNS rebinding), every answer carries
 * the security headers, and HEAD is answered wherever GET is.
 */
class CrossSiteIT {
    @TempDir
    static Path inbox;
    private static WebServer server;
    private static int port;
    private static byte[] digit;

    @BeforeAll
    static void start() {
        Access access = new Access(java.util.Optional.empty(), false, Set.of("digits.example.org"), Set.of("https://portal.example.org"));
        server = WebServer.start(WebServerIT.options(inbox, TestCassandra.settings().cassandraSpec(), 1).withAccess(access));
        port = server.port();
        digit = DigitImages.encode(DigitImages.canvasDrawing(DigitImages.mnistTest().image(0), 280), "png");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp.Answer upload(String host, String headers) throws Exception {
        byte[] body = new Multipart().file("a.png", digit).body();
        byte[] head = ("POST /api/images HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: multipart/form-data; boundary=" + Multipart.BOUNDARY
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n" + headers + "\r\n").getBytes();
        return RawHttp.send(port, Multipart.concat(head, body));
    }

    private static RawHttp.Answer get(String path, String host) throws Exception {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void crossOriginWritesAreRefusedAndNothingIsStored() throws Exception {
        long before = imagesInInbox();
        String self = "127.0.0.1:" + port;
        for (String headers : List.of("Origin: http://evil.example\r\n", "Origin: null\r\n", "Origin: http://127.0.0.1:1\r\n",
                "Origin: https://" + self + ".evil.example\r\n", "Sec-Fetch-Site: cross-site\r\n", "Sec-Fetch-Site: same-site\r\n",
                "Origin: http://evil.example\r\nSec-Fetch-Site: same-origin\r\n", "Origin: http://" + self + "\r\nSec-Fetch-Site: cross-site\r\n",
                "Origin: null\r\nSec-Fetch-Site: cross-site\r\n")) {
            RawHttp.Answer a = upload(self, headers);
            assertEquals(403, a.status(), () -> headers.strip() + ": " + a);
            assertTrue(a.isJsonError() && a.body().contains("cross-origin"), a::toString);
        }
        RawHttp.Answer login = RawHttp.send(port, "POST /login HTTP/1.1\r\nHost: " + self
                + "\r\nOrigin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\ntoken=x");
        assertEquals(403, login.status(), login::toString);
        assertEquals(before, imagesInInbox(), "a refused write stores nothing");
    }

    @Test
    void sameOriginAllowedOriginsAndScriptsMayUpload() throws Exception {
        String self = "127.0.0.1:" + port;
        for (String headers : List.of("Origin: http://" + self + "\r\nSec-Fetch-Site: same-origin\r\n", "Origin: https://portal.example.org\r\n",
                "Origin: null\r\nSec-Fetch-Site: same-origin\r\n", "Origin: https://portal.example.org\r\nSec-Fetch-Site: cross-site\r\n",
                "Origin: https://portal.example.org:443\r\n", "", "Sec-Fetch-Site: none\r\n")) {
            RawHttp.Answer a = upload(self, headers);
            assertEquals(202, a.status(), () -> "'" + headers.strip() + "': " + a);
        }
        RawHttp.Answer named = upload("localhost:" + port, "Origin: http://localhost:" + port + "\r\n");
        assertEquals(202, named.status(), named::toString);
    }

    @Test
    void unknownHostNamesAreRefusedAgainstDnsRebinding() throws Exception {
        for (String host : List.of("evil.example", "evil.example:" + port, "localhost.evil.example", "127.0.0.1.nip.io")) {
            for (String path : List.of("/api/predictions", "/", "/healthz")) {
                RawHttp.Answer a = get(path, host);
                assertEquals(403, a.status(), () -> host + path + ": " + a);
                assertTrue(a.isJsonError() && !a.body().contains("predicted"), a::toString);
            }
            assertEquals(403, upload(host, "").status(), host + ": upload");
        }
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "192.0.2.7",
                "digits.example.org", "digits.example.org.:" + port)) {
            RawHttp.Answer a = get("/", host);
            assertEquals(200, a.status(), () -> host + ": " + a);
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        List<RawHttp.Answer> answers = List.of(get("/", "127.0.0.1"), get("/assets/app.js", "127.0.0.1"), get("/assets/app.css", "127.0.0.1"),
                get("/api/predictions?limit=1", "127.0.0.1"), get("/nowhere", "127.0.0.1"), get("/", "evil.example"),
                get("/api/predictions?limit=0", "127.0.0.1"), upload("127.0.0.1", "Origin: http://evil.example\r\n"),
                RawHttp.send(port, "DELETE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                RawHttp.send(port, new Multipart().file("notes.txt", "hello".getBytes()).request("Connection: close\r\n")));
        for (RawHttp.Answer a : answers) {
            assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, a.headers().get("content-security-policy"), a::toString);
            assertEquals("nosniff", a.headers().get("x-content-type-options"), a::toString);
            assertEquals("DENY", a.headers().get("x-frame-options"), a::toString);
            assertEquals("same-origin", a.headers().get("referrer-policy"), a::toString);
        }
        assertTrue(SecurityHeaders.CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assertTrue(!SecurityHeaders.CONTENT_SECURITY_POLICY.contains("unsafe-inline"), "no inline script or style is allowed");
        String page = get("/", "127.0.0.1").body();
        assertTrue(!page.contains("<script>") && !page.contains(" style=") && !java.util.regex.Pattern.compile("\\son[a-z]+=").matcher(page).find(),
                "the page has no inline script, event handler or style");
    }

    @Test
    void headIsAnsweredWhereverGetIs() throws Exception {
        for (String path : List.of("/", "/healthz", "/api/predictions?limit=1", "/api/predictions/" + java.util.UUID.randomUUID(),
                "/assets/app.js", "/assets/app.css")) {
            RawHttp.Answer get = get(path, "127.0.0.1");
            RawHttp.Answer h;
            try (RawHttp http = new RawHttp(port)) {
                http.write("HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                h = http.answerHeadersOnly().orElseThrow();
            }
            assertEquals(get.status(), h.status(), () -> "HEAD " + path + ": " + h);
            assertEquals(get.headers().get("content-type"), h.headers().get("content-type"), path);
            assertEquals("", h.body(), "HEAD " + path + " has no body");
        }
    }

    private static long imagesInInbox() throws Exception {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
