package io.digitflow.results;

import static io.digitflow.results.PredictionTable.KEYSPACE;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Writes many {@link Prediction}s asynchronously, so the caller goes on scoring the next images
 * while the last ones are being written; {@link #flush()} waits until every one is stored.
 *
 * <p>Rows travel in unlogged batches, because per-request work (on both sides of the connection)
 * cost more than the writes themselves when every row was a request of its own:
 * <ul>
 *   <li>{@code recent_predictions} rows of the same day share a partition: batches of
 *       {@value #RECENT_ROWS_PER_BATCH}, which Cassandra applies as one mutation (about 3.5 KB,
 *       under its 5 KiB batch warning).</li>
 *   <li>A {@code predictions} row is its own partition: batches of up to
 *       {@value #PREDICTION_ROWS_PER_BATCH} rows whose partitions live on the same replicas (from
 *       the driver's token map), so the coordinator that receives a batch holds every row of it.</li>
 *   <li>At most {@code maxInFlight} requests are outstanding: memory stays bounded and a slow
 *       cluster slows the caller down instead of timing requests out.</li>
 * </ul>
 * Every write is an idempotent upsert, so writing a replayed batch again changes nothing. Every
 * request carries the given consistency level: the session may be one this code did not configure
 * (the spark-cassandra-connector's sets none, so its requests would go at the driver's LOCAL_ONE).
 * Not thread-safe: one writer per task or thread.
 */
public final class PredictionWriter {
    static final int RECENT_ROWS_PER_BATCH = 32;
    /**
     * Three rows are ~4.4 KiB with their 784-byte inputs: under Cassandra's 5 KiB batch size warning
     * (and its 10-partition warning).
     */
    static final int PREDICTION_ROWS_PER_BATCH = 3;
    private static final Object ALL_NODES = new Object();
    private static final long FLUSH_TIMEOUT_MINUTES = 10;

    private final CqlSession session;
    private final ConsistencyLevel consistency;
    private final Observer observer;
    private final PredictionInserts inserts;
    private final int maxInFlight;
    private final Semaphore slots;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long waitedNanos;

    /** Hears of every write request's outcome: rows sent, time to acknowledgement, the error if any. */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (rows, nanos, error) -> {
        };

        void written(int rows, long nanos, Throwable error);
    }

    /** @param consistency a level's name, e.g. {@code LOCAL_QUORUM} ({@code Settings#consistency()}) */
    public PredictionWriter(CqlSession session, String consistency, int maxInFlight) {
        this(session, consistency, maxInFlight, Observer.NONE);
    }

    public PredictionWriter(CqlSession session, String consistency, int maxInFlight, Observer observer) {
        this.session = session;
        this.observer = observer;
        this.consistency = DefaultConsistencyLevel.valueOf(consistency);
        this.inserts = new PredictionInserts(session);
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
    }

    /** Sends the writes of {@code predictions}; blocks only while {@code maxInFlight} requests are outstanding. */
    public void write(List<Prediction> predictions) {
        group(predictions, this::send);
    }

    /**
     * Builds the requests {@link #write} would send for {@code predictions} and sends none: a warm-up
     * of binding and batching that stores nothing (the constructor has prepared the statements).
     *
     * @return the rows the requests would carry
     */
    public int rehearse(List<Prediction> predictions) {
        int[] rows = {0};
        group(predictions, batch -> rows[0] += batch.size());
        return rows[0];
    }

    /** Groups the rows of {@code predictions} into batches (see the class comment), each handed to {@code sink}. */
    private void group(List<Prediction> predictions, Consumer<BatchStatement> sink) {
        Map<Object, BatchStatementBuilder> byReplicas = new HashMap<>();
        Map<LocalDate, BatchStatementBuilder> byDay = new HashMap<>();
        Optional<TokenMap> tokens = session.getMetadata().getTokenMap();
        for (Prediction p : predictions) {
            BoundStatement row = inserts.prediction(p);
            add(byReplicas, tokens.<Object>map(t -> t.getReplicas(KEYSPACE, row.getRoutingKey())).orElse(ALL_NODES), row,
                    PREDICTION_ROWS_PER_BATCH, sink);
            add(byDay, PredictionTable.dayOf(p.uploadedAt()), inserts.recent(p), RECENT_ROWS_PER_BATCH, sink);
        }
        byReplicas.values().forEach(batch -> sink.accept(batch.build()));
        byDay.values().forEach(batch -> sink.accept(batch.build()));
    }

    /** Adds a row to the open batch of its group (replica set, or day partition); a full batch goes to {@code sink}. */
    private <K> void add(Map<K, BatchStatementBuilder> open, K group, BoundStatement row, int rowsPerBatch,
            Consumer<BatchStatement> sink) {
        BatchStatementBuilder batch = open.computeIfAbsent(group,
                g -> BatchStatement.builder(DefaultBatchType.UNLOGGED).setIdempotence(true).setConsistencyLevel(consistency));
        batch.addStatement(row);
        if (batch.getStatementsCount() == rowsPerBatch) {
            sink.accept(batch.build());
            open.remove(group);
        }
    }

    /** Waits until every write sent so far is acknowledged; throws the first failure, if any. */
    public void flush() {
        acquire(maxInFlight);
        slots.release(maxInFlight);
        throwIfFailed();
    }

    /** Time the caller spent blocked on Cassandra (waiting for a free slot or in {@link #flush()}). */
    public double secondsWaited() {
        return waitedNanos / 1e9;
    }

    private void send(BatchStatement statement) {
        throwIfFailed();
        acquire(1);
        long sent = System.nanoTime();
        session.executeAsync(statement).whenComplete((result, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            observer.written(statement.size(), System.nanoTime() - sent, error);
            slots.release();
        });
    }

    private void throwIfFailed() {
        Throwable f = failure.get();
        if (f != null) {
            throw new PredictionWriteException("writing predictions to Cassandra failed: " + f, f);
        }
    }

    private void acquire(int permits) {
        long start = System.nanoTime();
        try {
            // The driver times every request out (its request timeout), so every permit comes back;
            // the bound here only guards against a driver bug leaving the task hanging forever.
            if (!slots.tryAcquire(permits, FLUSH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new PredictionWriteException("Cassandra did not acknowledge writes within " + FLUSH_TIMEOUT_MINUTES + " minutes", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PredictionWriteException("interrupted while writing predictions", e);
        } finally {
            waitedNanos += System.nanoTime() - start;
        }
    }

    /** A write that did not reach Cassandra: the batch it belongs to must be written again. */
    public static final class PredictionWriteException extends RuntimeException {
        PredictionWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
