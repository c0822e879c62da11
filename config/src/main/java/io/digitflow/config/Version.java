package io.digitflow.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every command: the project version the build wrote into {@code digitflow/version.properties}. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"digitflow " + project()};
    }

    /**
     * The git commit of the code in {@code home} ({@code -dirty} when it has uncommitted changes),
     * or {@code unknown} where there is no git repository (a Docker image, say).
     */
    public static String gitCommit(java.nio.file.Path home) {
        try {
            String commit = run(home, "git", "rev-parse", "HEAD");
            return run(home, "git", "status", "--porcelain", "--untracked-files=no").isEmpty() ? commit : commit + "-dirty";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String run(java.nio.file.Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
        return out;
    }

    public static String project() {
        try (InputStream in = Version.class.getResourceAsStream("/digitflow/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
