package io.digitflow.pipeline.spark;

import com.datastax.spark.connector.cql.CassandraConnector;
import org.apache.spark.sql.SparkSession;

/**
 * The spark-cassandra-connector's session management, as the scoring tasks use it: a
 * {@link CassandraConnector} made once on the driver from the {@code spark.cassandra.*} settings
 * travels with each task, and every task of a JVM shares that JVM's cached session (opened through
 * {@link BoundedSchemaRefreshFactory}). Writes are prepared statements on that session
 * ({@link io.digitflow.results.PredictionWriter}), upserts keyed by image id (and by day + upload
 * time + id in the recent table), so writing a replayed batch again overwrites the same rows:
 * together with the checkpoint this makes the pipeline exactly-once.
 */
public final class ConnectorSessions {
    private ConnectorSessions() {
    }

    public static CassandraConnector of(SparkSession spark) {
        return CassandraConnector.apply(spark.sparkContext().getConf());
    }

    /**
     * Closes the connector's cached sessions that no task holds any more. Called after a failed
     * query: a session that lived through an outage may carry broken driver state (see
     * {@link BoundedSchemaRefreshFactory}); the restarted query then connects afresh instead.
     */
    public static void closeIdleSessions() {
        CassandraConnector.evictCache();
    }
}
