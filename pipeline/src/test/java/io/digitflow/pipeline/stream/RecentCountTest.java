package io.digitflow.pipeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentCountTest {
    private static final Instant T = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void countsOnlyTheGrowthWithinTheWindow() {
        RecentCount recent = new RecentCount(Duration.ofMinutes(5));
        assertEquals(0, recent.update(T, 100), "a first sample has no growth to show");
        assertEquals(20, recent.update(T.plusSeconds(60), 120));
        assertEquals(50, recent.update(T.plusSeconds(300), 150), "the first sample is exactly at the window's start");
        assertEquals(50, recent.update(T.plusSeconds(301), 150), "the first sample is still the last one before the window");
        assertEquals(30, recent.update(T.plusSeconds(361), 150), "now the sample of T+60 is");
        assertEquals(0, recent.update(T.plusSeconds(1000), 150), "nothing new for longer than the window");
    }

    @Test
    void withoutASampleOlderThanTheWindowTheGrowthSinceTheFirstIsShown() {
        RecentCount recent = new RecentCount(Duration.ofMinutes(5));
        recent.update(T, 10);
        assertEquals(5, recent.update(T.plusSeconds(3600), 15), "sampling paused: the growth since the last sample");
        assertEquals(7, recent.update(T.plusSeconds(3605), 17), "T is still the last sample before the window");
    }
}
