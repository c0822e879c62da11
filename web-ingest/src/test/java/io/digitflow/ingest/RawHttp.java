package io.digitflow.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, byte for byte as the test writes it: lying lengths, huge headers,
 * chunked bodies, a missing Host, a client that stops half-way. The JDK's client would refuse or
 * repair most of these.
 */
final class RawHttp implements AutoCloseable {
    /** What came back: the first answer on the connection, headers in lower case. */
    record Answer(int status, Map<String, String> headers, String body) {
        boolean isJsonError() {
            return headers.getOrDefault("content-type", "").startsWith("application/json") && body.contains("\"error\"");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    private final Socket socket;

    RawHttp(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(timeoutMillis);
    }

    RawHttp(int port) throws IOException {
        this("127.0.0.1", port, 20_000);
    }

    /** Sends the whole request and reads the first answer. */
    static Answer send(int port, byte[] request) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.write(request);
            return http.answer().orElseThrow(() -> new IOException("the connection closed without an answer"));
        }
    }

    static Answer send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    boolean answered() throws IOException {
        return socket.getInputStream().available() > 0;
    }

    /** The first answer, or empty when the server closed (or reset) the connection without one. */
    Optional<Answer> answer() throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketException reset) {
            return Optional.empty();
        }
        if (statusLine == null) {
            return Optional.empty();
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                b.writeBytes(in.readNBytes(size));
                line(in);
            }
            line(in);
            body = b.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return Optional.of(new Answer(status, headers, new String(body, StandardCharsets.UTF_8)));
    }

    /** The status and headers of the first answer, and whatever follows them until the server closes (for HEAD). */
    Optional<Answer> answerHeadersOnly() throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        if (statusLine == null) {
            return Optional.empty();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        return Optional.of(new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers,
                new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }

    /** True once the server has closed the connection (reads give end of stream or a reset). */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
