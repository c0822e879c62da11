package io.digitflow.bench;

import java.util.Arrays;
import org.apache.spark.paths.SparkPath;
import org.apache.spark.sql.execution.streaming.FileStreamSource;

/**
 * What the file source's memory of seen files costs the stream on every look at the inbox, by its
 * size. Spark keeps every file listed since the checkpoint began in a map, and each trigger (ten a
 * second on an idle stream, one per micro-batch under load) walks the whole map to purge entries
 * older than the age limit, which the stream sets off: nothing is ever purged, the walk is all cost.
 * This times that walk on Spark's own map, filled with inbox paths like the stream's.
 *
 * <pre>SeenFilesBenchmark SIZES...</pre> prints, per size, {@code seen files=N purge_ms=M} (median of
 * 51 walks, after 50 unmeasured) and its ratio to the first size.
 */
public final class SeenFilesBenchmark {
    private static final long NO_AGE_LIMIT_MS = 36_500L * 24 * 3600 * 1000;

    private SeenFilesBenchmark() {
    }

    public static void main(String[] args) {
        double first = 0;
        for (String arg : args) {
            int size = Integer.parseInt(arg);
            FileStreamSource.SeenFilesMap seen = new FileStreamSource.SeenFilesMap(NO_AGE_LIMIT_MS, false);
            long now = System.currentTimeMillis();
            for (int i = 0; i < size; i++) {
                seen.add(SparkPath.fromPathString(String.format("file:/srv/digitflow/var/inbox/upload-%08d-%s.png", i,
                        Integer.toHexString(i * 31))), now - i);
            }
            for (int i = 0; i < 50; i++) {
                seen.purge();
            }
            double[] millis = new double[51];
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                if (seen.purge() != 0) {
                    throw new IllegalStateException("an entry was purged: the age limit is not off");
                }
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            double median = millis[millis.length / 2];
            first = first == 0 ? median : first;
            System.out.printf("seen files=%d purge_ms=%.3f ns_per_file=%.0f ratio_to_first=%.1f%n", size, median,
                    median * 1e6 / size, median / first);
        }
    }
}
