package io.digitflow.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A digitflow main in a JVM of its own, started the way {@code bin/digitflow} starts it (module
 * classes + runtime classpath + the Java 17 flags, and the pipeline's mains with the scoring JVMs'
 * options), for tests that must kill it like a crash would.
 */
public final class ModuleProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ModuleProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ModuleProcess start(String module, String mainClass, Map<String, String> env, Path log, String... args)
            throws IOException {
        Path root = TestHome.root();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        if (module.equals("pipeline")) {
            command.addAll(optionsFile(root.resolve("conf/scoring-jvm.options"))); // as bin/digitflow's score and stream
        }
        command.addAll(Arrays.asList(Files.readString(root.resolve("config/target/classes/digitflow/jvm.flags")).trim().split("\\s+")));
        command.add("-Ddigitflow.home=" + root);
        command.add("-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2.properties"));
        command.add("-cp");
        command.add(root.resolve(module + "/target/classes") + File.pathSeparator
                + Files.readString(root.resolve(module + "/target/runtime-classpath.txt")).trim());
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().putAll(env);
        return new ModuleProcess(pb.start(), log);
    }

    /** The options of a JVM options file: one a line, '#' starts a comment. */
    private static List<String> optionsFile(Path file) throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String option = line.replaceAll("#.*", "").strip();
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }

    /** Waits for the process to exit and returns its exit status; fails when it does not exit in time. */
    public int waitFor(java.time.Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + within.toSeconds() + " s:\n" + logText());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no clean stop, exactly like a crash. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
