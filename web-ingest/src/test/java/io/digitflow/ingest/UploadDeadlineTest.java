package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UploadDeadlineTest {
    private static final UploadDeadline D = new UploadDeadline(Duration.ofSeconds(10), 1024, Duration.ofSeconds(120));

    @Test
    void theGraceThenOneSecondPerKilobyteThenTheMax() {
        assertEquals(Duration.ofSeconds(10).toNanos(), D.allowedNanos(0));
        assertEquals(Duration.ofSeconds(11).toNanos(), D.allowedNanos(1024));
        assertEquals(Duration.ofMillis(10_500).toNanos(), D.allowedNanos(512));
        assertEquals(Duration.ofSeconds(120).toNanos(), D.allowedNanos(10L * 1024 * 1024), "10 MB would earn 10,240 s: capped");
    }

    @Test
    void aDripperIsDueRightAfterTheGrace() {
        // 1 byte a second: after 12 s it has sent 12 bytes, which earn 12 ms.
        long allowed = D.allowedNanos(12);
        assertEquals(true, allowed < Duration.ofSeconds(12).toNanos());
    }

    @Test
    void anHonestUploadIsBoundOnlyByTheMax() {
        // 100 KB/s: after t seconds it has t × 100 KB, which earn t × 100 s.
        for (int t = 1; t < 120; t++) {
            assertEquals(true, D.allowedNanos(t * 100L * 1024) > Duration.ofSeconds(t).toNanos(), "at " + t + " s");
        }
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UploadDeadline(Duration.ofSeconds(10), 0, Duration.ofSeconds(20)));
        assertThrows(IllegalArgumentException.class, () -> new UploadDeadline(Duration.ofSeconds(10), 1, Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(5), D.withMax(Duration.ofSeconds(5)).grace(), "a max below the grace shortens the grace");
    }
}
