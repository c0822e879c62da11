package io.digitflow.bench;

import io.digitflow.pipeline.batch.BatchScoreJob;

/**
 * {@code bin/digitflow score DIR} run RUNS times in one JVM, each printing its usual "scored N
 * files in S s" line: from the second run on, the JIT has compiled Spark's, the connector's and
 * the scoring code, as the ceiling's has. Set beside a fresh command's figure, it splits the gap to
 * the ceiling into what a new JVM costs (class loading, JIT compilation) and what the pipeline
 * itself costs (Spark, Cassandra writes).
 *
 * <pre>WarmBatchBenchmark DIR RUNS</pre>
 */
public final class WarmBatchBenchmark {
    private WarmBatchBenchmark() {
    }

    public static void main(String[] args) {
        int runs = Integer.parseInt(args[1]);
        for (int run = 1; run <= runs; run++) {
            System.out.println("warm batch run=" + run);
            BatchScoreJob.main(new String[] {args[0]});
        }
    }
}
