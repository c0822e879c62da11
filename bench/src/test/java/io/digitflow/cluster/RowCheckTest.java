package io.digitflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowCheckTest {
    private static final Set<String> EXPECTED = Set.of("00000-7.png", "00001-2.png");

    @Test
    void exactlyOneRowPerExpectedFileIsClean() {
        var counts = new RowCheck.Counts(Map.of("00000-7.png", 1, "00001-2.png", 1), Map.of("00000-7.png", 1, "00001-2.png", 1), 2, 2);
        assertEquals(List.of(), RowCheck.problems(EXPECTED, counts));
    }

    @Test
    void missingDuplicateAndUnexpectedRowsAreEachReported() {
        var counts = new RowCheck.Counts(Map.of("00000-7.png", 2, "00009-1.png", 1), Map.of("00000-7.png", 1, "00001-2.png", 1), 3, 3);
        List<String> problems = RowCheck.problems(EXPECTED, counts);
        assertEquals(List.of("predictions: 00000-7.png has 2 rows", "predictions: 00001-2.png has 0 rows",
                "predictions: unexpected row for 00009-1.png"), problems.stream().sorted().toList());
    }

    @Test
    void predictionsThatMissTheirLabelsAreReported() {
        var one = Map.of("00000-7.png", 1, "00001-2.png", 1);
        List<String> problems = RowCheck.problems(EXPECTED, new RowCheck.Counts(one, one, 1, 2));
        assertTrue(problems.get(0).contains("match their label"), problems.toString());
    }

    @Test
    void labelComesFromTheNameMnistPngsWrote() {
        assertEquals(4, MnistPngs.labelOf(MnistPngs.fileName(123, 4)));
        assertEquals(4, MnistPngs.labelOf("sub/folder/00123-4.png"));
        assertThrows(IllegalArgumentException.class, () -> MnistPngs.labelOf("photo.png"));
    }
}
