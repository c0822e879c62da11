package io.digitflow.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamStatusTest {
    @TempDir
    Path dir;

    @Test
    void whatTheStreamWritesTheWebReadsBack() throws Exception {
        Inbox inbox = new Inbox(dir);
        assertTrue(inbox.status().isEmpty(), "no stream ever wrote one");
        StreamStatus written = new StreamStatus(Instant.parse("2026-12-02T12:00:05Z"), Instant.parse("2026-12-02T12:00:01Z"), 7, 12, "v3", 250);
        inbox.writeStatus(written);
        assertEquals(written, inbox.status().orElseThrow());
        inbox.writeStatus(new StreamStatus(Instant.parse("2026-12-02T12:00:10Z"), null, 0, 0, "v3", 0));
        assertEquals(null, inbox.status().orElseThrow().lastBatchAt(), "replaced whole, never half-written");
    }

    @Test
    void aStatusWithoutTheRecentCountReadsAsZeroAndAGarbledOneAsAbsent() throws Exception {
        Path status = Files.createDirectories(dir.resolve(Inbox.STATUS)).resolve("stream.json");
        Files.writeString(status, "{\"heartbeat_at\":\"2026-12-02T12:00:05Z\",\"last_batch_at\":null,\"backlog_files\":1,"
                + "\"oldest_waiting_seconds\":2,\"model_version\":\"v1\"}");
        assertEquals(0, new Inbox(dir).status().orElseThrow().recentFiles());
        Files.writeString(status, "{\"heartbeat_at\":");
        assertTrue(new Inbox(dir).status().isEmpty());
    }
}
