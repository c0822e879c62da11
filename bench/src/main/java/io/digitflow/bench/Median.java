package io.digitflow.bench;

import java.util.Arrays;

/** The median of a benchmark's rounds (the upper middle one of an even count). */
final class Median {
    private Median() {
    }

    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
