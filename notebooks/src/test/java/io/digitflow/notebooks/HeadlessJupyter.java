package io.digitflow.notebooks;

import static org.junit.jupiter.api.Assertions.fail;

import io.digitflow.testkit.TestHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a notebook of this module the way a user's Jupyter would, but headless: {@code jupyter
 * nbconvert --to notebook --execute} with the repository's kernel spec (var/jupyter, written by
 * bin/lib/prerequisites.d/jupyter). nbconvert exits non-zero when a cell throws.
 */
final class HeadlessJupyter {
    /**
     * The Java kernel puts ~250 jars on its compiler's class path before it answers: 6-10 s with
     * four busy loops on its two cores (bench/kernel-start.sh), ~50 s under load 30.
     */
    static final int KERNEL_STARTUP_SECONDS = 180;
    /**
     * A kernel that never answered its first kernel_info was rapaio's start race, which KernelMain
     * now closes. Should a kernel still fail to start, the run is retried once with a fresh kernel
     * and says so on stderr; a cell error or a wrong figure is never retried.
     */
    static final int KERNEL_START_ATTEMPTS = 2;
    private static final List<String> KERNEL_DID_NOT_START = List.of(
            "Kernel died before replying to kernel_info", "Kernel didn't respond in");
    static final int CELL_SECONDS = 600;

    private HeadlessJupyter() {
    }

    static ExecutedNotebook execute(String notebook, Map<String, String> inputs, Path outputDir)
            throws IOException, InterruptedException {
        Path root = TestHome.root();
        Path jupyterPath = root.resolve("var/jupyter");
        if (!Files.isRegularFile(jupyterPath.resolve("kernels/digitflow-java/kernel.json"))) {
            fail("no Java kernel spec under " + jupyterPath + ": run bin/lib/prerequisites.d/jupyter (bin/digitflow test does)");
        }
        for (int attempt = 1; ; attempt++) {
            Path log = outputDir.resolve(notebook + ".log");
            int exit = run(notebook, inputs, outputDir, log, jupyterPath);
            String output = Files.readString(log);
            boolean kernelDidNotStart = exit != 0 && KERNEL_DID_NOT_START.stream().anyMatch(output::contains);
            if (kernelDidNotStart && attempt < KERNEL_START_ATTEMPTS) {
                System.err.println(notebook + ": the Java kernel did not start (attempt " + attempt + "); log kept at "
                        + keep(log) + "; retrying with a fresh kernel");
                continue;
            }
            Path executed = outputDir.resolve(notebook);
            if (exit != 0) {
                String errors = Files.isRegularFile(executed) ? ExecutedNotebook.read(executed).errors().toString() : "";
                fail(notebook + " failed (nbconvert exit " + exit + ") " + errors + "\nfull log, kernel output included: "
                        + keep(log) + "\n" + tail(log));
            }
            return ExecutedNotebook.read(executed);
        }
    }

    /** One headless execution; returns nbconvert's exit code. */
    private static int run(String notebook, Map<String, String> inputs, Path outputDir, Path log, Path jupyterPath)
            throws IOException, InterruptedException {
        Path source = TestHome.root().resolve("notebooks").resolve(notebook);
        List<String> command = new ArrayList<>(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.startup_timeout=" + KERNEL_STARTUP_SECONDS,
                "--ExecutePreprocessor.timeout=" + CELL_SECONDS,
                "--output-dir", outputDir.toString(), "--output", notebook, source.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JUPYTER_PATH", jupyterPath.toString());
        builder.environment().put("JUPYTER_RUNTIME_DIR", outputDir.resolve("jupyter-runtime").toString());
        builder.environment().put("DIGITFLOW_NOTEBOOK_HEAP", "1g");
        builder.environment().putAll(inputs);
        Process process = builder.start();
        try {
            if (!process.waitFor(KERNEL_STARTUP_SECONDS + 2L * CELL_SECONDS, TimeUnit.SECONDS)) {
                fail(notebook + " did not finish in time; log: " + tail(log));
            }
        } finally {
            process.destroy();
        }
        return process.exitValue();
    }

    /** The test's output folder is temporary: a failure's whole log is copied where it survives the run. */
    private static Path keep(Path log) throws IOException {
        Path kept = TestHome.root().resolve("notebooks/target/failed-notebook-logs").resolve(log.getFileName());
        Files.createDirectories(kept.getParent());
        return Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String tail(Path log) throws IOException {
        // The kernel logs each of its ~250 class path jars: only the end says what went wrong.
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
