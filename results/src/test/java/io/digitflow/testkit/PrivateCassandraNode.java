package io.digitflow.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Cassandra node of a test's own (own directory and ports), driven through the same
 * {@code bin/lib/cassandra-node} script users run, for tests that must kill, stop or double-start a
 * node without disturbing the shared one.
 */
public final class PrivateCassandraNode implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int storagePort;

    public PrivateCassandraNode(Path dir, int port, int storagePort) {
        this.dir = dir;
        this.port = port;
        this.storagePort = storagePort;
    }

    /**
     * A node on the ports named by {@code <envPrefix>_PORT} and {@code <envPrefix>_STORAGE_PORT},
     * so runs sharing a machine can move it. Defaults: {@code defaultPort}, and the storage port as
     * far below it as Cassandra's own defaults are apart (9042 and 7000).
     */
    public static PrivateCassandraNode onPortsFrom(String envPrefix, int defaultPort, Path dir) {
        int port = Integer.parseInt(System.getenv().getOrDefault(envPrefix + "_PORT", Integer.toString(defaultPort)));
        int storagePort = Integer.parseInt(System.getenv().getOrDefault(envPrefix + "_STORAGE_PORT", Integer.toString(port - 2042)));
        return new PrivateCassandraNode(dir, port, storagePort);
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public Result start() {
        return run("start");
    }

    public Result stop() {
        return run("stop");
    }

    public Result status() {
        return run("status");
    }

    /** SIGKILL, as a crash would: no flush, no clean shutdown. Waits until the process is gone. */
    public void kill9() throws Exception {
        long pid = pid();
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("node " + pid + " is not running"));
        handle.destroyForcibly();
        handle.onExit().get(30, TimeUnit.SECONDS);
    }

    public long pid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("node.pid")).trim());
    }

    /** Runs the node script; output of both streams is returned for assertions and diagnostics. */
    public Result run(String command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(TestHome.root().resolve("bin/lib/cassandra-node").toString(), command);
            pb.environment().put("CASSANDRA_DIR", dir.toString());
            pb.environment().put("CASSANDRA_PORT", Integer.toString(port));
            pb.environment().put("CASSANDRA_STORAGE_PORT", Integer.toString(storagePort));
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("cassandra-node " + command + " did not finish in 180 s:\n" + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bin/lib/cassandra-node " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public record Result(int exitCode, String output) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException("cassandra-node failed (exit " + exitCode + "):\n" + output);
            }
            return this;
        }

        public List<String> lines() {
            return output.lines().toList();
        }
    }
}
