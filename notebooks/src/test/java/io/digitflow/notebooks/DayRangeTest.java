package io.digitflow.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.config.UsageException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DayRangeTest {
    @Test
    void unsetMeansEverything() {
        assertEquals("TRUE", DayRange.fromEnvironment(Map.of()).sqlCondition("uploaded_at"));
    }

    @Test
    void bothDaysAreInclusive() {
        DayRange range = DayRange.fromEnvironment(Map.of("DIGITFLOW_FROM", "2001-03-01", "DIGITFLOW_TO", "2001-03-03"));
        assertEquals("TRUE AND t >= TIMESTAMP '2001-03-01 00:00:00' AND t < TIMESTAMP '2001-03-04 00:00:00'",
                range.sqlCondition("t"));
    }

    @Test
    void aBadDateNamesTheVariable() {
        UsageException e = assertThrows(UsageException.class,
                () -> DayRange.fromEnvironment(Map.of("DIGITFLOW_TO", "yesterday")));
        assertTrue(e.getMessage().contains("DIGITFLOW_TO"), e.getMessage());
    }

    @Test
    void anEndBeforeTheStartIsRefused() {
        assertThrows(UsageException.class,
                () -> DayRange.fromEnvironment(Map.of("DIGITFLOW_FROM", "2001-03-05", "DIGITFLOW_TO", "2001-03-01")));
    }
}
