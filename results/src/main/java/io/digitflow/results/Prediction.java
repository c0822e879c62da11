package io.digitflow.results;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One scored (or rejected) image: a row of {@code digitflow.predictions}. For a rejected image
 * {@code predicted}, {@code confidence} and {@code probabilities} are null and {@code reason} holds
 * the reject reason code.
 */
public record Prediction(
        UUID imageId,
        String imageName,
        Source source,
        Status status,
        String reason,
        Integer predicted,
        Float confidence,
        List<Float> probabilities,
        String modelVersion,
        Instant uploadedAt,
        Instant scoredAt) {

    public enum Source { upload, drop, batch }

    public enum Status { ok, rejected }

    public Prediction {
        probabilities = probabilities == null ? null : List.copyOf(probabilities);
    }
}
