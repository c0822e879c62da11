package io.digitflow.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A multipart/form-data body built part by part, including parts a browser would never send. */
final class Multipart {
    static final String BOUNDARY = "----digitflow-test-boundary";

    private final List<byte[]> parts = new ArrayList<>();

    /** A file part named {@code file}. */
    Multipart file(String fileName, byte[] content) {
        return part("form-data; name=\"file\"; filename=\"" + fileName + "\"", content);
    }

    /** A part with any Content-Disposition (another field name, no file name, ...). */
    Multipart part(String disposition, byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: " + disposition + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        b.writeBytes(content);
        b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        parts.add(b.toByteArray());
        return this;
    }

    byte[] body() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        parts.forEach(b::writeBytes);
        b.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /** The whole request with a true Content-Length. */
    byte[] request(String extraHeaders) {
        byte[] body = body();
        return concat(head(body.length, extraHeaders), body);
    }

    static byte[] head(long contentLength, String extraHeaders) {
        return ("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                + "\r\nContent-Length: " + contentLength + "\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
