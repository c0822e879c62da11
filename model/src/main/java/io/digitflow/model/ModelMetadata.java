package io.digitflow.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code models/<version>/metadata.json} (docs/contract.md), plus the training history for the
 * notebooks, every training parameter, the code's git commit and the checksums of the data trained on.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(
        @JsonProperty("version") String version,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("workers") int workers,
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("test_accuracy") double testAccuracy,
        @JsonProperty("validation_accuracy") double validationAccuracy,
        @JsonProperty("mnist_sha256") String mnistSha256,
        @JsonProperty("mode") String mode,
        @JsonProperty("seed") long seed,
        @JsonProperty("history") List<Round> history,
        @JsonProperty("parameters") Map<String, Object> parameters,
        @JsonProperty("git_commit") String gitCommit,
        @JsonProperty("data_sha256") Map<String, String> dataSha256,
        @JsonProperty("uploads_accuracy") Double uploadsAccuracy,
        @JsonProperty("uploads_test_size") Integer uploadsTestSize) {

    /** One training round: what the progress line printed, kept for the model report notebook. */
    public record Round(
            @JsonProperty("epoch") int epoch,
            @JsonProperty("round") int round,
            @JsonProperty("examples") long examples,
            @JsonProperty("seconds") double seconds,
            @JsonProperty("loss") double loss,
            @JsonProperty("validation_accuracy") double validationAccuracy) {
    }
}
