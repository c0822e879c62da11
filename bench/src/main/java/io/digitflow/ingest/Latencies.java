package io.digitflow.ingest;

import java.util.Arrays;

/** Milliseconds measured in a run, summarised the way the targets are stated: p50, p95, max. */
record Latencies(double[] millis) {
    static Latencies of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted);
    }

    /** Nearest-rank percentile. */
    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100 * millis.length);
        return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
    }

    double max() {
        return millis[millis.length - 1];
    }

    String describe() {
        return String.format("p50 %6.0f ms   p95 %6.0f ms   max %6.0f ms   (n=%d)", percentile(50), percentile(95), max(), millis.length);
    }
}
