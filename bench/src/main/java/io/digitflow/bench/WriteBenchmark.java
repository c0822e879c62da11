package io.digitflow.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.Prediction;
import io.digitflow.results.PredictionWriter;
import io.digitflow.testkit.TestCassandra;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * What storing results costs on this box, apart from scoring: N predictions (the pipeline's rows,
 * probabilities included) written by {@link PredictionWriter} as the scoring tasks write them, in
 * batches of 256 with 64 requests in flight. Prints the wall time and the CPU seconds spent by
 * this client JVM and by the Cassandra node (from /proc), per round:
 * {@code writes rows=N seconds=S client_cpu_s=C cassandra_cpu_s=K}.
 *
 * <pre>WriteBenchmark ROWS ROUNDS CASSANDRA_PID</pre> (Cassandra: the node DIGITFLOW_CASSANDRA names)
 */
public final class WriteBenchmark {
    private WriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path cassandraStat = Path.of("/proc", args[2], "stat");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (CqlSession session = CassandraSessions.open(TestCassandra.settings())) {
            write(session, predictions(2_000, new Random(1))); // warm-up: connections, JIT, prepared statements
            for (int r = 0; r < rounds; r++) {
                List<Prediction> batch = predictions(rows, new Random(r + 2));
                long client = os.getProcessCpuTime();
                long node = ticks(cassandraStat);
                long start = System.nanoTime();
                write(session, batch);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("writes rows=%d seconds=%.2f rate=%.0f client_cpu_s=%.2f cassandra_cpu_s=%.2f%n", rows, seconds,
                        rows / seconds, (os.getProcessCpuTime() - client) / 1e9, (ticks(cassandraStat) - node) / 100.0);
            }
        }
    }

    private static void write(CqlSession session, List<Prediction> predictions) {
        PredictionWriter writer = new PredictionWriter(session, "LOCAL_QUORUM", 64);
        for (int from = 0; from < predictions.size(); from += 256) {
            writer.write(predictions.subList(from, Math.min(predictions.size(), from + 256)));
        }
        writer.flush();
    }

    private static List<Prediction> predictions(int n, Random random) {
        List<Prediction> out = new ArrayList<>(n);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            List<Float> p = new ArrayList<>(10);
            for (int k = 0; k < 10; k++) {
                p.add(random.nextFloat() / 10);
            }
            out.add(new Prediction(new UUID(random.nextLong(), random.nextLong()), "digit-" + i + ".png", Prediction.Source.drop,
                    Prediction.Status.ok, null, i % 10, 0.9f, p, "20261202-031101-cnn", now.minusMillis(i), now));
        }
        return out;
    }

    /** utime + stime of a process, in clock ticks (1/100 s). */
    private static long ticks(Path stat) throws IOException {
        String[] f = Files.readString(stat).substring(Files.readString(stat).lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
