package io.digitflow.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.digitflow.notebooks.ConfusedPairs.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusedPairsTest {
    @Test
    void largestMistakesFirstIgnoringTheDiagonalAndTiesInRowOrder() {
        int[][] confusion = {
                {50, 3, 0},
                {7, 40, 3},
                {0, 9, 60},
        };
        assertEquals(List.of(new Pair(2, 1, 9), new Pair(1, 0, 7), new Pair(0, 1, 3), new Pair(1, 2, 3)),
                ConfusedPairs.top(confusion, 10));
        assertEquals(List.of(new Pair(2, 1, 9)), ConfusedPairs.top(confusion, 1));
    }

    @Test
    void aPerfectModelHasNoConfusedPairs() {
        assertEquals(List.of(), ConfusedPairs.top(new int[][] {{5, 0}, {0, 5}}, 3));
    }

    @Test
    void aRaggedMatrixIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConfusedPairs.top(new int[][] {{1, 2}, {3}}, 3));
    }
}
