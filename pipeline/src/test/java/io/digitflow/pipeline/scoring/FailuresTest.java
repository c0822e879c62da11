package io.digitflow.pipeline.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The line the stream logs when its query fails: an outage must read as one. */
class FailuresTest {
    @Test
    void aDriverThatReachesNoNodeIsReportedAsCassandraUnreachable() {
        var failure = new RuntimeException("Job aborted", new IOException("Failed to prepare statement", new NoNodeAvailableException()));
        assertEquals("Cassandra at 10.0.0.7:9042 is unreachable (NoNodeAvailableException: No node was available to execute the query)",
                Failures.describe(failure, "10.0.0.7:9042"));
    }

    @Test
    void aLostControlConnectionIsReportedAsCassandraUnreachable() {
        var failure = new IllegalStateException("Control channel not available, aborting schema refresh");
        assertTrue(Failures.describe(failure, "db:9042").startsWith("Cassandra at db:9042 is unreachable (IllegalStateException: Control channel"));
    }

    @Test
    void otherFailuresNameTheirRootCauseOnly() {
        var failure = new RuntimeException("wrapper", new IllegalArgumentException("bad image\nsecond line"));
        assertEquals("IllegalArgumentException: bad image", Failures.describe(failure, "db:9042"));
    }

    @Test
    void aWriteTheClusterCannotTakeIsReportedAsRefusedAndIsNotBlamedOnAFile() {
        var unavailable = new com.datastax.oss.driver.api.core.servererrors.UnavailableException(null,
                com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_QUORUM, 2, 1);
        var failure = new RuntimeException("Job aborted", unavailable);
        assertTrue(Failures.describe(failure, "db:9042").startsWith("Cassandra at db:9042 refused the write (UnavailableException: "),
                Failures.describe(failure, "db:9042"));
        assertTrue(Failures.fromCassandra(failure));
        assertFalse(Failures.fromCassandra(new RuntimeException("Job aborted", new OutOfMemoryError("Java heap space"))));
    }

    @Test
    void longDriverMessagesAreCut() {
        var failure = new IllegalArgumentException("x".repeat(500));
        assertEquals("IllegalArgumentException: " + "x".repeat(160) + "...", Failures.describe(failure, "db:9042"));
    }
}
