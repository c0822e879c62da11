package io.digitflow.pipeline.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * How much a running total grew over the last {@code window}, from samples of it: the page's
 * "files scored in the last minutes", without keeping a timestamp per file.
 */
final class RecentCount {
    private record Sample(Instant at, long total) {
    }

    private final Duration window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RecentCount(Duration window) {
        this.window = window;
    }

    /**
     * Records {@code total} at {@code now}; returns its growth since the last sample taken at or
     * before the window's start (so over the window plus at most one sampling interval), or since
     * the first sample while there is none that old.
     */
    synchronized long update(Instant now, long total) {
        samples.addLast(new Sample(now, total));
        Instant start = now.minus(window);
        // The base is the newest sample at or before the start: drop the ones before it.
        Sample base = samples.pollFirst();
        while (!samples.isEmpty() && !samples.peekFirst().at().isAfter(start)) {
            base = samples.pollFirst();
        }
        samples.addFirst(base);
        return total - base.total();
    }
}
