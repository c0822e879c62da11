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

    public PredictionStore(CqlSession session) {
        this.session = session;
        this.inserts = new PredictionInserts(session);
        this.selectById = session.prepare("SELECT " + PredictionInserts.PREDICTION_COLUMNS + " FROM " + KEYSPACE + "."
                + PREDICTIONS + " WHERE " + IMAGE_ID + " = ?");
        this.selectRecentDay = session.prepare("SELECT " + PredictionInserts.RECENT_COLUMNS + " FROM " + KEYSPACE + "."
                + RECENT + " WHERE " + DAY + " = ? LIMIT ?");
    }

    /** Writes both tables in one logged batch: either both rows land or, after a failure, neither is half-there for long. */
    public void save(Prediction p) {
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED, inserts.prediction(p), inserts.recent(p)));
    }

    public Optional<Prediction> find(UUID imageId) {
        Row row = session.execute(selectById.bind(imageId)).one();
        return Optional.ofNullable(row).map(r -> fromRow(r, r.getList(PROBABILITIES, Float.class)));
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
                r.getInstant(SCORED_AT));
    }
}
