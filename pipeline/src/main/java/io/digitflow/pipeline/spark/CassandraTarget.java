package io.digitflow.pipeline.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.digitflow.config.Settings;
import io.digitflow.pipeline.metrics.PipelineMetrics;
import io.digitflow.results.PredictionWriter;
import java.io.Serializable;
import org.apache.spark.sql.SparkSession;

/**
 * Where the scoring tasks store results, as the spark-cassandra-connector manages it: a
 * {@link CassandraConnector} made once on the driver from the {@code spark.cassandra.*} settings
 * travels with each task, and every task of a JVM shares that JVM's cached session. Writes are
 * prepared statements on that session ({@link PredictionWriter}) at the configured consistency
 * level, upserts keyed by image id (and by day + upload time + id in the recent table), so writing
 * a replayed batch again overwrites the same rows: with the checkpoint this makes the pipeline
 * exactly-once.
 *
 * @param consistency the level every write carries ({@link Settings#consistency()})
 */
public record CassandraTarget(CassandraConnector connector, String consistency) implements Serializable {

    public static CassandraTarget of(SparkSession spark, Settings settings) {
        return new CassandraTarget(CassandraConnector.apply(spark.sparkContext().getConf()), settings.consistency());
    }

    /** This JVM's shared session (close it when done: the connector counts its users). */
    public CqlSession openSession() {
        return connector.openSession();
    }

    public PredictionWriter writer(CqlSession session, int maxInFlight) {
        return new PredictionWriter(session, consistency, maxInFlight, PipelineMetrics.WRITES);
    }

    /**
     * Closes the connector's cached sessions that no task holds any more. Called after a failed
     * query: a session that lived through an outage may carry broken driver state; the restarted
     * query then connects afresh instead.
     */
    public static void closeIdleSessions() {
        CassandraConnector.evictCache();
    }
}
