package io.digitflow.pipeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The line the stream logs when its query fails: an outage must read as one. */
class StreamFailureMessageTest {
    @Test
    void aDriverThatReachesNoNodeIsReportedAsCassandraUnreachable() {
        var failure = new RuntimeException("Job aborted", new IOException("Failed to prepare statement", new NoNodeAvailableException()));
        assertEquals("Cassandra at 10.0.0.7:9042 is unreachable (NoNodeAvailableException: No node was available to execute the query)",
                StreamJob.failure(failure, "10.0.0.7:9042"));
    }

    @Test
    void aLostControlConnectionIsReportedAsCassandraUnreachable() {
        var failure = new IllegalStateException("Control channel not available, aborting schema refresh");
        assertTrue(StreamJob.failure(failure, "db:9042").startsWith("Cassandra at db:9042 is unreachable (IllegalStateException: Control channel"));
    }

    @Test
    void otherFailuresNameTheirRootCauseOnly() {
        var failure = new RuntimeException("wrapper", new IllegalArgumentException("bad image\nsecond line"));
        assertEquals("IllegalArgumentException: bad image", StreamJob.failure(failure, "db:9042"));
    }

    @Test
    void longDriverMessagesAreCut() {
        var failure = new IllegalArgumentException("x".repeat(500));
        assertEquals("IllegalArgumentException: " + "x".repeat(160) + "...", StreamJob.failure(failure, "db:9042"));
    }
}
