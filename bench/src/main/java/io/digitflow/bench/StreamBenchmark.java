package io.digitflow.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.PredictionTable;
import io.digitflow.inbox.Inbox;
import io.digitflow.testkit.TestCassandra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * Measures a running {@code bin/digitflow stream} from the outside, the way a user sees it:
 * <ol>
 *   <li>warm-up: rounds of {@value #WARM_UP_FILES} files (other names) through the stream first,
 *       unmeasured, until its JIT compilers are (nearly) idle ({@link CompilerTime}), as the
 *       baseline it is compared with is warmed (JIT, connections, caches); then the prediction tables
 *       are emptied ({@link EmptyTables}), as before each of the baseline's measured runs;</li>
 *   <li>sustained throughput: N files renamed into the inbox at once, from the first rename until
 *       the inbox is empty again (the stream removes a file only after its rows are written), then
 *       every row checked in Cassandra;</li>
 *   <li>latency: with those N already processed, files dropped one at a time, each followed by a
 *       prepared SELECT of its derived id every few milliseconds until the row is readable;</li>
 *   <li>the stream JVM's resident memory (VmRSS) while streaming and when idle, and its CPU when idle;</li>
 *   <li>the CPU seconds the stream's threads (by kind) and the node BENCH_CASSANDRA_PID names
 *       used while the N files were scored.</li>
 * </ol>
 *
 * <pre>StreamBenchmark SOURCE_DIR STAGING_DIR INBOX STREAM_PID LATENCY_SAMPLES [MAX_WARM_UP_ROUNDS]</pre>
 * STAGING_DIR must be on the inbox's filesystem (files appear in the inbox by an atomic rename).
 * Cassandra is the node named by DIGITFLOW_CASSANDRA.
 */
public final class StreamBenchmark {
    private static final String SELECT = "SELECT " + PredictionTable.STATUS + ", " + PredictionTable.PREDICTED + " FROM "
            + PredictionTable.KEYSPACE + "." + PredictionTable.PREDICTIONS + " WHERE " + PredictionTable.IMAGE_ID + " = ?";
    private static final long POLL_MILLIS = 5;
    static final int WARM_UP_FILES = 2000;

    private final Path staging;
    private final Path inbox;
    private final ResidentMemory rss;
    private final CompilerTime compiler;
    private final ProcessCpu streamCpu;
    private final ProcessCpu cassandraCpu = ProcessCpu.fromEnvironment("BENCH_CASSANDRA_PID");
    private final CqlSession session;
    private final PreparedStatement select;

    private StreamBenchmark(Path staging, Path inbox, long streamPid, CqlSession session) {
        this.staging = staging;
        this.inbox = inbox;
        this.rss = new ResidentMemory(streamPid);
        this.compiler = new CompilerTime(streamPid);
        this.streamCpu = new ProcessCpu(streamPid);
        this.session = session;
        this.select = session.prepare(SELECT);
    }

    public static void main(String[] args) throws Exception {
        List<Path> sources = DigitFiles.list(Path.of(args[0]));
        Path staging = Path.of(args[1]);
        Path inbox = Path.of(args[2]);
        long streamPid = Long.parseLong(args[3]);
        int samples = Integer.parseInt(args[4]);
        Files.createDirectories(staging);
        try (CqlSession session = CassandraSessions.open(TestCassandra.settings())) {
            StreamBenchmark bench = new StreamBenchmark(staging, inbox, streamPid, session);
            bench.warmUp(sources, args.length > 5 ? Integer.parseInt(args[5]) : CompilerTime.MAX_WARM_UP_ROUNDS);
            EmptyTables.empty(session);
            bench.throughput(sources);
            bench.latency(sources, samples);
            bench.idle();
        }
    }

    /**
     * Rounds of {@value #WARM_UP_FILES} files until the stream's JIT compilers used less than
     * {@link CompilerTime#SETTLED_SHARE} of a core over a round (or {@code maxRounds} rounds): the
     * baseline it is compared with is warmed by the same rule.
     */
    private void warmUp(List<Path> sources, int maxRounds) throws Exception {
        long start = System.nanoTime();
        compiler.warmUp("warm-up", WARM_UP_FILES, maxRounds, round -> {
            for (int i = 0; i < WARM_UP_FILES; i++) {
                Path source = sources.get((round * WARM_UP_FILES + i) % sources.size());
                moveIntoInbox(stage(source, "warm-up-" + round + "-" + source.getFileName()));
            }
            while (imagesInInbox() > 0) {
                Thread.sleep(100);
            }
        });
        System.out.printf("warm-up seconds=%.2f%n", (System.nanoTime() - start) / 1e9);
    }

    private void throughput(List<Path> sources) throws Exception {
        List<Path> staged = new ArrayList<>(sources.size());
        for (Path source : sources) {
            staged.add(stage(source, source.getFileName().toString()));
        }
        ResidentMemory.Stats streaming = new ResidentMemory.Stats();
        System.out.printf("stream staged=%d, moving them into the inbox%n", staged.size());
        ProcessCpu.Usage cpu = ProcessCpu.Usage.from(streamCpu, cassandraCpu);
        long start = System.nanoTime();
        for (Path file : staged) {
            moveIntoInbox(file);
        }
        double movedSeconds = (System.nanoTime() - start) / 1e9;
        Path last = inbox.resolve(staged.get(staged.size() - 1).getFileName());
        do {
            // The stream takes files oldest first, so the last one staged goes last: looking at it
            // alone is a stat, while listing thousands of names every 100 ms took CPU from the
            // measured stream.
            streaming.add(rss.kilobytes());
            Thread.sleep(100);
        } while (Files.exists(last) || imagesInInbox() > 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("stream files=%d seconds=%.2f rate=%.0f moved_in_seconds=%.2f%n",
                sources.size(), seconds, sources.size() / seconds, movedSeconds);
        System.out.printf("stream cpu %s%n", cpu.since());
        int[] check = checkRows(sources);
        System.out.printf("rows checked=%d found=%d correct=%d%n", sources.size(), check[0], check[1]);
        System.out.printf("rss phase=streaming samples=%d mean_mb=%.0f max_mb=%.0f%n",
                streaming.count(), streaming.meanMb(), streaming.maxMb());
    }

    private void latency(List<Path> sources, int samples) throws Exception {
        Random gaps = new Random(42);
        double[] millis = new double[samples];
        for (int i = 0; i < samples; i++) {
            Path source = sources.get(i % sources.size());
            String name = "latency-" + i + "-" + source.getFileName();
            byte[] content = Files.readAllBytes(source);
            UUID id = Inbox.derivedId(name, content);
            Path staged = stage(source, name);
            // A random pause, so drops do not fall at the same phase of the stream's trigger loop.
            Thread.sleep(100 + gaps.nextInt(400));
            long start = System.nanoTime();
            moveIntoInbox(staged);
            while (session.execute(select.bind(id)).one() == null) {
                if (System.nanoTime() - start > 60_000_000_000L) {
                    throw new IllegalStateException("no row for " + name + " after 60 s");
                }
                Thread.sleep(POLL_MILLIS);
            }
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("latency samples=%d p50_ms=%.0f p95_ms=%.0f max_ms=%.0f first_ms=%.0f%n",
                samples, percentile(sorted, 50), percentile(sorted, 95), sorted[samples - 1], millis[0]);
    }

    /** The stream at rest after the run: its resident memory, and the CPU it spends watching an empty inbox. */
    private void idle() throws InterruptedException {
        Thread.sleep(5000); // let the last batch's garbage be collected
        ResidentMemory.Stats idle = new ResidentMemory.Stats();
        double cpuBefore = streamCpu.seconds();
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            idle.add(rss.kilobytes());
            Thread.sleep(1000);
        }
        double cpuShare = (streamCpu.seconds() - cpuBefore) / ((System.nanoTime() - start) / 1e9);
        System.out.printf("rss phase=idle samples=%d mean_mb=%.0f max_mb=%.0f%n", idle.count(), idle.meanMb(), idle.maxMb());
        System.out.printf("idle cpu_share=%.3f (of one core, over 10 s of an empty inbox)%n", cpuShare);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** {rows found, rows whose prediction matches the label in the file name}. */
    private int[] checkRows(List<Path> sources) throws Exception {
        int found = 0;
        int correct = 0;
        for (int from = 0; from < sources.size(); from += 256) {
            List<Path> chunk = sources.subList(from, Math.min(sources.size(), from + 256));
            List<CompletionStage<AsyncResultSet>> queries = new ArrayList<>();
            for (Path source : chunk) {
                queries.add(session.executeAsync(select.bind(
                        Inbox.derivedId(source.getFileName().toString(), Files.readAllBytes(source)))));
            }
            for (int i = 0; i < chunk.size(); i++) {
                Row row = queries.get(i).toCompletableFuture().get().one();
                if (row != null) {
                    found++;
                    correct += "ok".equals(row.getString(0)) && row.getInt(1) == DigitFiles.labelOf(chunk.get(i)) ? 1 : 0;
                }
            }
        }
        return new int[] {found, correct};
    }

    private Path stage(Path source, String name) throws IOException {
        Path staged = staging.resolve(name);
        Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
        return staged;
    }

    private void moveIntoInbox(Path staged) throws IOException {
        Files.move(staged, inbox.resolve(staged.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    private long imagesInInbox() {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(p -> p.toString().endsWith(".png")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + inbox, e);
        }
    }
}
