package io.digitflow.ingest;

import io.digitflow.testkit.ModuleProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real streaming job in its own JVM (as {@code bin/digitflow stream} runs it) over an inbox
 * under {@code work}, with its checkpoint, archive and quarantine beside it.
 */
final class StreamUnderTest implements AutoCloseable {
    private static final Pattern SCORED = Pattern.compile("stream: batch \\d+ scored (\\d+) files");
    private static final Pattern METRICS = Pattern.compile("stream: metrics on http://[^:/]+:(\\d+)/metrics");
    private static final Pattern MODEL = Pattern.compile("ScoringSession: model (\\S+)");

    private final ModuleProcess process;
    private final Path inbox;
    private final Path archive;

    private StreamUnderTest(ModuleProcess process, Path inbox, Path archive) {
        this.process = process;
        this.inbox = inbox;
        this.archive = archive;
    }

    static StreamUnderTest start(Path work, Path models, String cassandra) throws IOException {
        Path inbox = work.resolve("inbox");
        Path archive = work.resolve("archive");
        Files.createDirectories(inbox);
        ModuleProcess process = ModuleProcess.start("pipeline", "io.digitflow.pipeline.stream.StreamJob", Map.of("DIGITFLOW_CASSANDRA", cassandra),
                work.resolve("stream.log"), "--inbox", inbox.toString(), "--models", models.toString(),
                "--checkpoint", work.resolve("checkpoint").toString(), "--archive", archive.toString(),
                "--quarantine", work.resolve("quarantine").toString());
        return new StreamUnderTest(process, inbox, archive);
    }

    Path inbox() {
        return inbox;
    }

    Path archive() {
        return archive;
    }

    /** Waits until the query watches the inbox (Spark started, model loaded); fails if the JVM dies first. */
    void awaitWatching(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!process.logText().contains("stream: watching")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the stream did not start within " + timeout.toSeconds() + " s:\n" + process.logText());
            }
            Thread.sleep(250);
        }
    }

    /** The port of the job's Prometheus metrics (tests start it on a free one), from its log; fails if the JVM dies first. */
    int metricsPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Matcher m;
        while (!(m = METRICS.matcher(process.logText())).find()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the stream served no metrics within " + timeout.toSeconds() + " s:\n" + process.logText());
            }
            Thread.sleep(100);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The model version the job says it scores with (logged once the model is loaded). */
    String modelVersion() {
        Matcher m = MODEL.matcher(process.logText());
        if (!m.find()) {
            throw new IllegalStateException("the stream logged no model version:\n" + process.logText());
        }
        return m.group(1);
    }

    /**
     * Files the job reports as scored, summed over its batches: equal to the number of files
     * dropped when each was scored exactly once (a replayed or re-listed file counts again).
     */
    long filesScored() {
        Matcher m = SCORED.matcher(process.logText());
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    String log() {
        return process.logText();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
