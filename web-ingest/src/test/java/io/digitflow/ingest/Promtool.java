package io.digitflow.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' own checker ({@code /usr/bin/promtool}, beside the server), run as a real process. */
final class Promtool {
    /** What promtool said: exit 0 means the files passed. */
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    static Result run(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add("promtool");
        argv.addAll(List.of(arguments));
        Process process = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", arguments) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), output);
    }
}
