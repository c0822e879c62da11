package io.digitflow.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slow clients on real sockets, kept up the way an attacker keeps them: each one reconnects as
 * soon as the server drops it. Three kinds: silent (connects and sends nothing), slow headers (a
 * header byte a second, slowloris) and slow bodies (a complete upload head, then a body byte a
 * second: these take upload slots).
 */
final class SlowClients implements AutoCloseable {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private final int port;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile boolean stopping;

    private SlowClients(int port) {
        this.port = port;
    }

    static SlowClients start(int port, int silent, int slowHeaders, int slowBodies) {
        SlowClients c = new SlowClients(port);
        for (int i = 0; i < silent; i++) {
            c.spawn("silent", c::silent);
        }
        for (int i = 0; i < slowHeaders; i++) {
            c.spawn("slow-headers", c::slowHeaders);
        }
        for (int i = 0; i < slowBodies; i++) {
            c.spawn("slow-body", c::slowBody);
        }
        return c;
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    /** Connections the server has closed so far (each was replaced by a new one). */
    int dropped() {
        return dropped.get();
    }

    private interface Behaviour {
        void run(Socket s) throws IOException, InterruptedException;
    }

    private void spawn(String kind, Behaviour behaviour) {
        Thread t = new Thread(() -> {
            while (!stopping) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    sockets.add(s);
                    open.incrementAndGet();
                    try {
                        behaviour.run(s);
                    } finally {
                        open.decrementAndGet();
                        sockets.remove(s);
                    }
                    if (!stopping) {
                        dropped.incrementAndGet();
                    }
                } catch (IOException e) {
                    if (!stopping) {
                        dropped.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "slow-client-" + kind);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Sends nothing; returns when the server closes. */
    private void silent(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        while (!stopping && in.read() != -1) {
            // an answer would be unexpected; keep reading until the close
        }
    }

    private void slowHeaders(Socket s) throws IOException, InterruptedException {
        OutputStream out = s.getOutputStream();
        out.write("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        drip(s, "X-Slow: ".getBytes(StandardCharsets.US_ASCII));
    }

    private void slowBody(Socket s) throws IOException, InterruptedException {
        String boundary = "----slow";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + boundary
                + "\r\nContent-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(head);
        out.write(PNG_SIGNATURE);
        out.flush();
        drip(s, new byte[] {0});
    }

    /** One byte a second (the pattern repeated) until the server closes the connection. */
    private void drip(Socket s, byte[] pattern) throws IOException, InterruptedException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        for (int i = 0; !stopping; i++) {
            Thread.sleep(1000);
            if (in.available() > 0) {
                return; // the server answered (408): it is dropping us
            }
            out.write(pattern[i % pattern.length]);
            out.flush();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Thread t : threads) {
            t.interrupt();
            t.join(5_000);
        }
    }
}
