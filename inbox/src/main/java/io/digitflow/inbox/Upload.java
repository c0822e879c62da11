package io.digitflow.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * What the upload page knows of an upload and the pipeline cannot see in the file: its id, the
 * name the user gave it and when it arrived. Travels as the sidecar {@code .meta/<id>.json}.
 */
public record Upload(UUID id, String name, Instant uploadedAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(JSON.createObjectNode()
                .put("id", id.toString())
                .put("name", name)
                .put("uploaded_at", uploadedAt.toString()));
    }

    /** @throws IOException or a RuntimeException when the bytes are not a complete sidecar */
    static Upload fromJson(byte[] json) throws IOException {
        JsonNode meta = JSON.readTree(json);
        return new Upload(UUID.fromString(meta.get("id").asText()), meta.get("name").asText(),
                Instant.parse(meta.get("uploaded_at").asText()));
    }
}
