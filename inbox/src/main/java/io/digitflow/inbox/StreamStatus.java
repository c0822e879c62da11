package io.digitflow.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * What the stream says of itself, in {@code <inbox>/.status/stream.json}, every few seconds: the
 * web's health check reads it, so it knows whether anything scores what it hands in.
 *
 * @param heartbeatAt  when the stream last wrote this (a stale one means the stream is gone)
 * @param lastBatchAt  when its last micro-batch with files finished, or null if none yet
 * @param backlogFiles files waiting in the inbox
 * @param oldestWaitingSeconds how long the oldest of them has waited
 * @param modelVersion the model scoring now
 * @param recentFiles  files it stored a row for in the last {@link #RECENT} (ok and rejected)
 */
public record StreamStatus(Instant heartbeatAt, Instant lastBatchAt, int backlogFiles, long oldestWaitingSeconds,
        String modelVersion, long recentFiles) {
    /** The window of {@link #recentFiles}. */
    public static final Duration RECENT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] toJson() throws IOException {
        ObjectNode node = JSON.createObjectNode()
                .put("heartbeat_at", heartbeatAt.toString())
                .put("last_batch_at", lastBatchAt == null ? null : lastBatchAt.toString())
                .put("backlog_files", backlogFiles)
                .put("oldest_waiting_seconds", oldestWaitingSeconds)
                .put("model_version", modelVersion)
                .put("files_last_5_minutes", recentFiles);
        return JSON.writeValueAsBytes(node);
    }

    static StreamStatus fromJson(byte[] json) throws IOException {
        JsonNode n = JSON.readTree(json);
        JsonNode last = n.get("last_batch_at");
        return new StreamStatus(Instant.parse(n.get("heartbeat_at").asText()),
                last == null || last.isNull() ? null : Instant.parse(last.asText()),
                n.get("backlog_files").asInt(), n.get("oldest_waiting_seconds").asLong(), n.get("model_version").asText(),
                n.path("files_last_5_minutes").asLong(0));
    }
}
