package io.digitflow.notebooks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The off-diagonal cells of a confusion matrix, most frequent first: which digits the model mixes up. */
public final class ConfusedPairs {
    private ConfusedPairs() {
    }

    /** {@code count} test images of digit {@code actual} were predicted as {@code predicted}. */
    public record Pair(int actual, int predicted, int count) {
    }

    /**
     * The {@code limit} largest mistakes of a square confusion matrix (rows: true digit, columns:
     * predicted), ties in row-then-column order so the report is the same on every run.
     */
    public static List<Pair> top(int[][] confusion, int limit) {
        List<Pair> mistakes = new ArrayList<>();
        for (int actual = 0; actual < confusion.length; actual++) {
            if (confusion[actual].length != confusion.length) {
                throw new IllegalArgumentException("confusion matrix is not square: row " + actual + " has "
                        + confusion[actual].length + " columns, expected " + confusion.length);
            }
            for (int predicted = 0; predicted < confusion.length; predicted++) {
                if (actual != predicted && confusion[actual][predicted] > 0) {
                    mistakes.add(new Pair(actual, predicted, confusion[actual][predicted]));
                }
            }
        }
        return mistakes.stream()
                .sorted(Comparator.comparingInt(Pair::count).reversed()
                        .thenComparingInt(Pair::actual)
                        .thenComparingInt(Pair::predicted))
                .limit(limit)
                .toList();
    }
}
