package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets in, over real sockets: by default the server listens on loopback only; with an access
 * token the page asks for a login and the API for {@code Authorization: Bearer}, also on every
 * interface; {@code /healthz}, the login and the page's assets stay open.
 */
class AccessIT {
    private static final String TOKEN = "s3cret-token-of-the-test-0123456789";

    @TempDir
    Path inbox;

    private WebOptions options() {
        return WebServerIT.options(inbox, TestCassandra.settings().cassandraSpec(), 1);
    }

    @Test
    void byDefaultTheServerIsReachableFromThisMachineOnly() throws Exception {
        InetAddress external = externalAddress();
        try (WebServer server = WebServer.start(options())) {
            assertEquals(200, RawHttp.send(server.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").status());
            assertThrows(ConnectException.class, () -> new Socket(external, server.port()).close(),
                    "listening on " + external + " too, not only on loopback");
        }
    }

    @Test
    void withATokenOnEveryInterfaceNothingButTheLoginIsOpen() throws Exception {
        InetAddress external = externalAddress();
        WebOptions options = options().withHost("0.0.0.0").withAccess(Access.LOOPBACK.withToken(new AccessToken(TOKEN)));
        try (WebServer server = WebServer.start(options)) {
            int port = server.port();
            String host = "Host: " + external.getHostAddress() + ":" + port + "\r\n";
            RawHttp.Answer page = at(external, port, "GET / HTTP/1.1\r\n" + host + "\r\n");
            assertEquals(303, page.status(), page::toString);
            assertEquals("/login", page.headers().get("location"));
            RawHttp.Answer api = at(external, port, "GET /api/predictions HTTP/1.1\r\n" + host + "\r\n");
            assertEquals(401, api.status(), api::toString);
            assertTrue(api.isJsonError() && api.headers().get("www-authenticate").startsWith("Bearer"), api::toString);
            assertEquals(401, at(external, port, "GET /api/predictions HTTP/1.1\r\n" + host + "Authorization: Bearer wrong-token-wrong-token\r\n\r\n")
                    .status());
            assertEquals(200, at(external, port, "GET /api/predictions HTTP/1.1\r\n" + host + "Authorization: Bearer " + TOKEN + "\r\n\r\n")
                    .status());
            RawHttp.Answer upload = at(external, port, new String(new Multipart().file("a.png", digit()).request(""), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replace("Host: 127.0.0.1\r\n", host));
            assertEquals(401, upload.status(), "an upload without the token: " + upload);
            for (String open : new String[] {"/login", "/healthz", "/assets/app.css", "/assets/login.js"}) {
                RawHttp.Answer a = at(external, port, "GET " + open + " HTTP/1.1\r\n" + host + "\r\n");
                assertEquals(200, a.status(), () -> open + ": " + a);
            }
        }
    }

    @Test
    void theLoginSetsAnHttpOnlyStrictCookieThatOpensPageAndApi() throws Exception {
        try (WebServer server = WebServer.start(options().withAccess(Access.LOOPBACK.withToken(new AccessToken(TOKEN))))) {
            int port = server.port();
            RawHttp.Answer wrong = RawHttp.send(port, login("not-the-token-at-all"));
            assertEquals(303, wrong.status(), wrong::toString);
            assertEquals("/login?failed", wrong.headers().get("location"));
            assertTrue(!wrong.headers().containsKey("set-cookie"), wrong::toString);

            RawHttp.Answer right = RawHttp.send(port, login(TOKEN));
            assertEquals(303, right.status(), right::toString);
            assertEquals("/", right.headers().get("location"));
            String cookie = right.headers().get("set-cookie");
            assertNotNull(cookie, right::toString);
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.toLowerCase().contains("path=/"), cookie);
            assertTrue(!cookie.contains(TOKEN), "the cookie holds a derived value, not the token");
            String session = cookie.substring(0, cookie.indexOf(';'));

            assertEquals(200, RawHttp.send(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + session + "\r\nConnection: close\r\n\r\n").status());
            RawHttp.Answer upload = RawHttp.send(port, new Multipart().file("a.png", digit()).request("Cookie: " + session + "\r\nConnection: close\r\n"));
            assertEquals(202, upload.status(), upload::toString);
            RawHttp.Answer forged = RawHttp.send(port, "GET /api/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: "
                    + AccessGuard.SESSION_COOKIE + "=forged\r\nConnection: close\r\n\r\n");
            assertEquals(401, forged.status(), forged::toString);
        }
    }

    @Test
    void serveRefusesToListenBeyondLoopbackWithoutATokenUnlessOpen() {
        ServeCommand open = ServeCommandTest.parse("--host", "0.0.0.0", "--port", "0", "--open");
        WebOptions options = open.options(java.util.Map.of());
        assertTrue(options.access().open() && options.access().token().isEmpty());
        try (WebServer server = WebServer.start(options)) {
            assertTrue(server.port() > 0);
        }
    }

    private static String login(String token) {
        String form = "token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
        return "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                + "\r\nConnection: close\r\n\r\n" + form;
    }

    private static RawHttp.Answer at(InetAddress address, int port, String request) throws Exception {
        try (RawHttp http = new RawHttp(address.getHostAddress(), port, 20_000)) {
            http.write(request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
            return http.answer().orElseThrow();
        }
    }

    private static byte[] digit() {
        return DigitImages.encode(DigitImages.canvasDrawing(DigitImages.mnistTest().image(0), 280), "png");
    }

    /** An IPv4 address of this machine that is not loopback: where another machine would connect. */
    static InetAddress externalAddress() throws Exception {
        Optional<InetAddress> found = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        return found.orElseThrow(() -> new IllegalStateException("this test needs a network interface besides loopback"));
    }
}
