package io.digitflow.results;

import static io.digitflow.results.PredictionTable.*;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and writes single {@link Prediction}s with prepared statements (the web page, tests,
 * tools). Bulk writes from the pipeline go through {@link PredictionWriter}.
 */
public final class PredictionStore {
    /**
     * How many day partitions {@link #recent} walks back at most. Bounds the cost of a "recent"
     * query on a quiet system; older results stay readable by id.
     */
    public static final int RECENT_DAYS_SCANNED = 31;

    private final CqlSession session;
    private final PredictionInserts inserts;
    private final PreparedStatement selectById;
    private final PreparedStatement selectRecentDay;
    private final PreparedStatement labelPrediction;
    private final PreparedStatement labelRecent;
    private final PreparedStatement insertLabel;

    public PredictionStore(CqlSession session) {
        this.session = session;
        this.inserts = new PredictionInserts(session);
        this.selectById = session.prepare("SELECT " + PredictionInserts.WRITTEN_COLUMNS + ", " + LABEL + " FROM " + KEYSPACE + "."
                + PREDICTIONS + " WHERE " + IMAGE_ID + " = ?");
        this.selectRecentDay = session.prepare("SELECT " + PredictionInserts.RECENT_COLUMNS + ", " + LABEL + " FROM " + KEYSPACE + "."
                + RECENT + " WHERE " + DAY + " = ? LIMIT ?");
        this.labelPrediction = session.prepare("UPDATE " + KEYSPACE + "." + PREDICTIONS + " SET " + LABEL + " = ?, " + LABELLED_AT
                + " = ?, " + LABEL_SOURCE + " = ? WHERE " + IMAGE_ID + " = ?");
        this.labelRecent = session.prepare("UPDATE " + KEYSPACE + "." + RECENT + " SET " + LABEL + " = ? WHERE " + DAY + " = ? AND "
                + UPLOADED_AT + " = ? AND " + IMAGE_ID + " = ?");
        this.insertLabel = session.prepare("INSERT INTO " + KEYSPACE + "." + LABELS + " (" + String.join(", ", IMAGE_ID, DIGIT,
                LABELLED_AT, SOURCE, PIXELS, PREDICTED, MODEL_VERSION, IMAGE_NAME) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    }

    /** Writes both tables in one logged batch: either both rows land or, after a failure, neither is half-there for long. */
    public void save(Prediction p) {
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED, inserts.prediction(p), inserts.recent(p)));
    }

    /**
     * Records that a person says image {@code imageId} shows {@code digit}: on its two rows, and in
     * the labels table the trainer reads (with the image's input, so training never needs the
     * file). A later correction replaces an earlier one. Returns the image as it is now, or empty if
     * there is no such image.
     */
    public Optional<Prediction> label(UUID imageId, int digit, String source) {
        if (digit < 0 || digit > 9) {
            throw new IllegalArgumentException("a digit is 0-9, not " + digit);
        }
        Optional<Prediction> found = find(imageId);
        if (found.isEmpty()) {
            return found;
        }
        Prediction p = found.get();
        java.time.Instant now = java.time.Instant.now();
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED,
                labelPrediction.bind(digit, now, source, imageId),
                labelRecent.bind(digit, dayOf(p.uploadedAt()), p.uploadedAt(), imageId),
                insertLabel.bind(imageId, digit, now, source, p.pixels() == null ? null : java.nio.ByteBuffer.wrap(p.pixels()),
                        p.predicted(), p.modelVersion(), p.imageName())));
        return Optional.of(new Prediction(p.imageId(), p.imageName(), p.source(), p.status(), p.reason(), p.predicted(),
                p.confidence(), p.probabilities(), p.modelVersion(), p.uploadedAt(), p.scoredAt(), digit, p.pixels()));
    }

    public Optional<Prediction> find(UUID imageId) {
        Row row = session.execute(selectById.bind(imageId)).one();
        return Optional.ofNullable(row).map(r -> {
            java.nio.ByteBuffer pixels = r.getByteBuffer(PIXELS);
            byte[] bytes = null;
            if (pixels != null) {
                bytes = new byte[pixels.remaining()];
                pixels.duplicate().get(bytes);
            }
            return fromRow(r, r.getList(PROBABILITIES, Float.class)).withPixels(bytes);
        });
    }

    /**
     * The {@code limit} most recently uploaded results, newest first (without probabilities), from
     * the day partitions of the last {@link #RECENT_DAYS_SCANNED} days.
     */
    public List<Prediction> recent(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<Prediction> result = new ArrayList<>(limit);
        // Start a day ahead: an uploader's clock slightly ahead of ours must not hide its rows.
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        for (int i = 0; i <= RECENT_DAYS_SCANNED && result.size() < limit; i++, day = day.minusDays(1)) {
            for (Row row : session.execute(selectRecentDay.bind(day, limit - result.size()))) {
                result.add(fromRow(row, null));
            }
        }
        return result;
    }

    private static Prediction fromRow(Row r, List<Float> probabilities) {
        return new Prediction(
                r.getUuid(IMAGE_ID),
                r.getString(IMAGE_NAME),
                Prediction.Source.valueOf(r.getString(SOURCE)),
                Prediction.Status.valueOf(r.getString(STATUS)),
                r.getString(REASON),
                r.isNull(PREDICTED) ? null : r.getInt(PREDICTED),
                r.isNull(CONFIDENCE) ? null : r.getFloat(CONFIDENCE),
                probabilities == null || probabilities.isEmpty() ? null : probabilities,
                r.getString(MODEL_VERSION),
                r.getInstant(UPLOADED_AT),
                r.getInstant(SCORED_AT),
                r.isNull(LABEL) ? null : r.getInt(LABEL),
                null);
    }
}
