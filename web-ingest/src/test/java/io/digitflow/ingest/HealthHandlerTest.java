package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.digitflow.inbox.StreamStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code /healthz} reads what the stream last said of itself. */
class HealthHandlerTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static String state(Instant heartbeat, long oldestWaitingSeconds) {
        var status = new StreamStatus(heartbeat, heartbeat, 3, oldestWaitingSeconds, "v7", 0);
        return (String) HealthHandler.stream(Optional.of(status), NOW).get("state");
    }

    @Test
    void aRecentHeartbeatWithNothingWaitingLongIsOk() {
        assertEquals("ok", state(NOW.minusSeconds(4), 2));
        assertEquals("ok", state(NOW.minusSeconds(HealthHandler.STALE.toSeconds()), HealthHandler.BEHIND.toSeconds()));
    }

    @Test
    void aSilentStreamIsStaleEvenIfItLastSawNoBacklog() {
        assertEquals("stale", state(NOW.minusSeconds(HealthHandler.STALE.toSeconds() + 1), 0));
        assertEquals("stale", state(NOW.minusSeconds(3600), 500));
    }

    @Test
    void aFileWaitingLongerThanTheBoundMeansBehind() {
        assertEquals("behind", state(NOW.minusSeconds(2), HealthHandler.BEHIND.toSeconds() + 1));
    }

    @Test
    void noStatusFileMeansNoStreamEverRan() {
        assertEquals("absent", HealthHandler.stream(Optional.empty(), NOW).get("state"));
    }

    @Test
    void theViewCarriesTheModelAndBacklog() {
        var view = HealthHandler.stream(Optional.of(new StreamStatus(NOW.minusSeconds(1), null, 12, 9, "v7", 40)), NOW);
        assertEquals("v7", view.get("model_version"));
        assertEquals(12, view.get("backlog_files"));
        assertEquals(1L, view.get("heartbeat_age_seconds"));
        assertEquals(null, view.get("last_batch_at"));
        assertEquals(40L, view.get("files_last_5_minutes"));
    }
}
