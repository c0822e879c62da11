package io.digitflow.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.Prediction;
import io.digitflow.results.PredictionWriter;
import io.digitflow.testkit.TestCassandra;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * What storing results costs on this box, apart from scoring: N predictions (the pipeline's rows,
 * probabilities and 784-byte inputs included) written by {@link PredictionWriter} from T threads,
 * as T scoring tasks write them: batches of 256, 64 requests in flight per thread. Prints the wall
 * time and the CPU seconds spent by this client JVM and by the Cassandra node, per round:
 * {@code writes rows=N threads=T seconds=S rate=R client_cpu_s=C cassandra_cpu_s=K}, then
 * {@code writes rate=R} (the median).
 *
 * <pre>WriteBenchmark ROWS ROUNDS CASSANDRA_PID [THREADS]</pre> (Cassandra: the node DIGITFLOW_CASSANDRA
 * names; THREADS defaults to 2, the stream's tasks on two cores)
 */
public final class WriteBenchmark {
    private static final int BATCH = 256;
    private static final int IN_FLIGHT = 64;

    private WriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        ProcessCpu node = new ProcessCpu(Long.parseLong(args[2]));
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (CqlSession session = CassandraSessions.open(TestCassandra.settings())) {
            write(session, predictions(2_000, new Random(1)), threads); // warm-up: connections, JIT, prepared statements
            double[] rates = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                List<Prediction> batch = predictions(rows, new Random(r + 2));
                long client = os.getProcessCpuTime();
                double nodeBefore = node.seconds();
                long start = System.nanoTime();
                write(session, batch, threads);
                double seconds = (System.nanoTime() - start) / 1e9;
                rates[r] = rows / seconds;
                System.out.printf("writes rows=%d threads=%d seconds=%.2f rate=%.0f client_cpu_s=%.2f cassandra_cpu_s=%.2f%n", rows, threads,
                        seconds, rates[r], (os.getProcessCpuTime() - client) / 1e9, node.seconds() - nodeBefore);
            }
            System.out.printf("writes rate=%.0f%n", Median.of(rates));
        }
    }

    /** Each thread writes its share with a writer of its own, as each scoring task does. */
    private static void write(CqlSession session, List<Prediction> predictions, int threads) throws Exception {
        Slices.inParallel(predictions, threads, share -> {
            PredictionWriter writer = new PredictionWriter(session, "LOCAL_QUORUM", IN_FLIGHT);
            for (int from = 0; from < share.size(); from += BATCH) {
                writer.write(share.subList(from, Math.min(share.size(), from + BATCH)));
            }
            writer.flush();
            return null;
        });
    }

    private static List<Prediction> predictions(int n, Random random) {
        List<Prediction> out = new ArrayList<>(n);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            List<Float> p = new ArrayList<>(10);
            for (int k = 0; k < 10; k++) {
                p.add(random.nextFloat() / 10);
            }
            byte[] input = new byte[784];
            random.nextBytes(input);
            out.add(new Prediction(new UUID(random.nextLong(), random.nextLong()), "digit-" + i + ".png", Prediction.Source.drop,
                    Prediction.Status.ok, null, i % 10, 0.9f, p, "20261202-031101-cnn", now.minusMillis(i), now).withPixels(input));
        }
        return out;
    }
}
