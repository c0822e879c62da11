package io.digitflow.results;

import static io.digitflow.results.PredictionTable.*;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * The two prepared INSERTs that store a {@link Prediction}: its row in {@code predictions} and its
 * row in the day-partitioned {@code recent_predictions}. Both are upserts on the full primary key,
 * so they are marked idempotent: the driver may retry them after a timeout without duplicating.
 */
final class PredictionInserts {
    static final String PREDICTION_COLUMNS = String.join(", ", IMAGE_ID, IMAGE_NAME, SOURCE, STATUS, REASON,
            PREDICTED, CONFIDENCE, PROBABILITIES, MODEL_VERSION, UPLOADED_AT, SCORED_AT);
    static final String RECENT_COLUMNS = String.join(", ", IMAGE_ID, IMAGE_NAME, SOURCE, STATUS, REASON,
            PREDICTED, CONFIDENCE, MODEL_VERSION, UPLOADED_AT, SCORED_AT);

    /** What scoring writes: every column but the label ones, which only a correction writes (a replay keeps them). */
    static final String WRITTEN_COLUMNS = PREDICTION_COLUMNS + ", " + PIXELS;

    private final PreparedStatement prediction;
    private final PreparedStatement recent;

    /** Prepares both statements (the driver caches them per session, so this is cheap after the first time). */
    PredictionInserts(CqlSession session) {
        this.prediction = session.prepare("INSERT INTO " + KEYSPACE + "." + PREDICTIONS
                + " (" + WRITTEN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.recent = session.prepare("INSERT INTO " + KEYSPACE + "." + RECENT
                + " (" + DAY + ", " + RECENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    BoundStatement prediction(Prediction p) {
        return prediction.bind(p.imageId(), p.imageName(), p.source().name(), p.status().name(), p.reason(),
                p.predicted(), p.confidence(), p.probabilities(), p.modelVersion(), p.uploadedAt(), p.scoredAt(),
                p.pixels() == null ? null : java.nio.ByteBuffer.wrap(p.pixels()))
                .setIdempotent(true);
    }

    BoundStatement recent(Prediction p) {
        return recent.bind(dayOf(p.uploadedAt()), p.imageId(), p.imageName(), p.source().name(), p.status().name(),
                p.reason(), p.predicted(), p.confidence(), p.modelVersion(), p.uploadedAt(), p.scoredAt())
                .setIdempotent(true);
    }
}
