package io.digitflow.results;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One scored (or rejected) image: a row of {@code digitflow.predictions}. For a rejected image
 * {@code predicted}, {@code confidence}, {@code probabilities} and {@code pixels} are null and
 * {@code reason} holds the reject reason code.
 *
 * @param label  the digit a person said it is, or null (never written by scoring: a replay keeps it)
 * @param pixels the network's input, 784 bytes (28×28 row-major, ink = 255), or null
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
        Instant scoredAt,
        Integer label,
        byte[] pixels) {

    public enum Source { upload, drop, batch }

    public enum Status { ok, rejected }

    public Prediction {
        probabilities = probabilities == null ? null : List.copyOf(probabilities);
    }

    /** A prediction as scoring makes it: no label, no pixels. */
    public Prediction(UUID imageId, String imageName, Source source, Status status, String reason, Integer predicted,
            Float confidence, List<Float> probabilities, String modelVersion, Instant uploadedAt, Instant scoredAt) {
        this(imageId, imageName, source, status, reason, predicted, confidence, probabilities, modelVersion, uploadedAt,
                scoredAt, null, null);
    }

    /** The same prediction with the network's input kept. */
    public Prediction withPixels(byte[] input) {
        return new Prediction(imageId, imageName, source, status, reason, predicted, confidence, probabilities, modelVersion,
                uploadedAt, scoredAt, label, input);
    }

    /** The network's input as bytes (0-255) from its floats in [0,1]. */
    public static byte[] pixelBytes(float[] input, int offset) {
        byte[] out = new byte[784];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.round(Math.max(0f, Math.min(1f, input[offset + i])) * 255f);
        }
        return out;
    }
}
