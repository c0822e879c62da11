package io.digitflow.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, tiny file system (tmpfs, mounted by the test; needs root or password-less sudo) to fill
 * up: a disk that is really full, not a simulated one. {@code size} bounds the bytes,
 * {@code nr_inodes} the number of files and folders.
 */
final class SmallFileSystem implements AutoCloseable {
    private final Path dir;

    private SmallFileSystem(Path dir) {
        this.dir = dir;
    }

    static SmallFileSystem mount(Path dir, String options) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> mount = new ArrayList<>(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
        if (!"root".equals(System.getProperty("user.name"))) {
            mount.addAll(0, List.of("sudo", "-n"));
        }
        run(mount);
        return new SmallFileSystem(dir);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        List<String> umount = new ArrayList<>(List.of("umount", dir.toString()));
        if (!"root".equals(System.getProperty("user.name"))) {
            umount.addAll(0, List.of("sudo", "-n"));
        }
        run(umount);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (this test needs root or password-less sudo "
                    + "to mount a small tmpfs): " + output);
        }
    }
}
