package io.digitflow.stream;

import com.datastax.spark.connector.cql.CassandraConnector;
import io.digitflow.store.PredictionTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes scored rows to both tables with the spark-cassandra-connector. Writes are upserts keyed by
 * image id (and by day + upload time + id in the recent table), so writing a replayed batch again
 * overwrites the same rows: together with the checkpoint this makes the pipeline exactly-once.
 */
final class CassandraSink {
    private CassandraSink() {
    }

    static void write(Dataset<Row> scored) {
        save(ScoredRows.predictionsColumns(scored), PredictionTable.PREDICTIONS);
        save(ScoredRows.recentColumns(scored), PredictionTable.RECENT);
    }

    /**
     * Closes the connector's cached sessions that no write holds any more. Called after a failed
     * query: a session that lived through an outage may carry broken driver state (see
     * {@link BoundedSchemaRefreshFactory}); the restarted query then connects afresh instead.
     */
    static void closeIdleSessions() {
        CassandraConnector.evictCache();
    }

    private static void save(Dataset<Row> rows, String table) {
        rows.write()
                .format("org.apache.spark.sql.cassandra")
                .option("keyspace", PredictionTable.KEYSPACE)
                .option("table", table)
                .mode(SaveMode.Append)
                .save();
    }
}
