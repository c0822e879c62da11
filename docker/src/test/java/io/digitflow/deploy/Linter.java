package io.digitflow.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the npm linters that bin/lib/prerequisites.d/deploy-linters installs under
 * {@code var/tools}, run as a real process. A missing linter is a failure, never a skip: a suite
 * that silently stops checking the deployment files would look green for the wrong reason.
 */
enum Linter {
    /** compose.yaml against the current Compose schema plus dclint's rules; warnings count as failures. */
    DCLINT("dclint", "--no-color", "--max-warnings", "0"),
    /** A Dockerfile's instructions, flags and arguments; it prints nothing for a clean file. */
    DOCKERFILE_UTILS("dockerfile-utils", "lint");

    /** What the linter said about one file. */
    record Result(int exitCode, String output) {
        /** Clean: exit 0 and not a single diagnostic, warnings included. */
        boolean clean() {
            return exitCode == 0 && output.isBlank();
        }
    }

    private final String command;
    private final List<String> options;

    Linter(String command, String... options) {
        this.command = command;
        this.options = List.of(options);
    }

    Result check(Path root, Path file) {
        Path executable = root.resolve("var/tools/node_modules/.bin").resolve(command);
        if (!Files.isExecutable(executable)) {
            throw new AssertionError(command + " is not installed in var/tools: run the suite with bin/digitflow test, "
                    + "which installs it (bin/lib/prerequisites.d/deploy-linters)");
        }
        List<String> argv = new ArrayList<>();
        argv.add(executable.toString());
        argv.addAll(options);
        argv.add(file.toString());
        try {
            Process process = new ProcessBuilder(argv).directory(root.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s on " + file);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
