package io.digitflow.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.digitflow.config.Settings;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.PredictionTable;
import java.time.Duration;
import java.util.List;

/**
 * Empties the tables the pipeline writes, so that each measured phase of a benchmark writes into
 * the same node state: empty tables, no compaction pending. Scoring the same 100,000 files again
 * on one node took 63 s on fresh tables, then 87-98 s as the node flushed and compacted the runs
 * before (2026-12-03): more than the difference between the programs compared.
 *
 * <pre>EmptyTables</pre> empties them on the node DIGITFLOW_CASSANDRA names.
 */
final class EmptyTables {
    private static final List<String> TABLES = List.of(PredictionTable.PREDICTIONS, PredictionTable.RECENT);
    /** TRUNCATE flushes and drops the table's files on every replica before it answers. */
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private EmptyTables() {
    }

    public static void main(String[] args) {
        try (CqlSession session = CassandraSessions.open(Settings.fromEnvironment())) {
            empty(session);
        }
    }

    /** Empties the tables and prints {@code tables emptied in N ms}. */
    static void empty(CqlSession session) {
        long start = System.nanoTime();
        for (String table : TABLES) {
            session.execute(SimpleStatement.newInstance("TRUNCATE " + PredictionTable.KEYSPACE + "." + table).setTimeout(TIMEOUT));
        }
        System.out.printf("tables emptied in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }
}
