package io.digitflow.results;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Names of the results tables and their columns, in one place for the driver code here and the
 * Spark connector writes in the pipeline (which map DataFrame columns by these names).
 */
public final class PredictionTable {
    public static final String KEYSPACE = "digitflow";
    public static final String PREDICTIONS = "predictions";
    public static final String RECENT = "recent_predictions";

    public static final String IMAGE_ID = "image_id";
    public static final String IMAGE_NAME = "image_name";
    public static final String SOURCE = "source";
    public static final String STATUS = "status";
    public static final String REASON = "reason";
    public static final String PREDICTED = "predicted";
    public static final String CONFIDENCE = "confidence";
    public static final String PROBABILITIES = "probabilities";
    public static final String MODEL_VERSION = "model_version";
    public static final String UPLOADED_AT = "uploaded_at";
    public static final String SCORED_AT = "scored_at";
    public static final String DAY = "day";
    public static final String PIXELS = "pixels";
    public static final String LABEL = "label";
    public static final String LABELLED_AT = "labelled_at";
    public static final String LABEL_SOURCE = "label_source";

    /** The corrections table and its own columns (image_id, pixels, predicted, model_version, image_name as above). */
    public static final String LABELS = "labels";
    public static final String DIGIT = "digit";

    private PredictionTable() {
    }

    /** The recent-table partition an upload time falls in (UTC days). */
    public static LocalDate dayOf(Instant uploadedAt) {
        return LocalDate.ofInstant(uploadedAt, ZoneOffset.UTC);
    }
}
