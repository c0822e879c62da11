package io.digitflow.ingest;

import java.time.Duration;

/**
 * How long an upload's body may take to arrive (Apache mod_reqtimeout's model): {@code grace} for
 * the start, then one more second for every {@code minBytesPerSecond} bytes received, never more
 * than {@code max} in all. A client dripping a byte a second loses its slot after the grace; one
 * sending at any honest speed is only bounded by {@code max}.
 */
record UploadDeadline(Duration grace, long minBytesPerSecond, Duration max) {
    static final UploadDeadline DEFAULT = new UploadDeadline(Duration.ofSeconds(10), 1024, Duration.ofSeconds(120));

    UploadDeadline {
        if (grace.isNegative() || minBytesPerSecond < 1 || max.compareTo(grace) < 0) {
            throw new IllegalArgumentException("an upload deadline needs grace >= 0, a rate >= 1 byte/s and max >= grace");
        }
    }

    /** Nanoseconds after its start by which an upload that has received {@code receivedBytes} must be complete. */
    long allowedNanos(long receivedBytes) {
        long earned = receivedBytes / minBytesPerSecond * 1_000_000_000L
                + receivedBytes % minBytesPerSecond * 1_000_000_000L / minBytesPerSecond;
        return Math.min(max.toNanos(), grace.toNanos() + earned);
    }

    UploadDeadline withMax(Duration newMax) {
        return new UploadDeadline(grace.compareTo(newMax) > 0 ? newMax : grace, minBytesPerSecond, newMax);
    }
}
