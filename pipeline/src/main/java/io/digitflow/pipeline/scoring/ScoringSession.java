package io.digitflow.pipeline.scoring;

import io.digitflow.config.Settings;
import io.digitflow.model.ModelStore;
import io.digitflow.pipeline.spark.CassandraTarget;
import io.digitflow.pipeline.spark.PipelineSpark;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.SchemaInstaller;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up both scoring jobs share, in this order: the schema in Cassandra (idempotent), the
 * Spark session, the model broadcast to the executors, and the executors readied
 * ({@link ExecutorWarmUp}) in the background, so that the driver can plan meanwhile.
 *
 * @param warmUp done when every executor thread has restored the network and prepared its writes
 */
public record ScoringSession(SparkSession spark, ModelWatcher models, CassandraTarget cassandra,
        CompletableFuture<Void> warmUp) {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringSession.class);

    /**
     * @param pinned       a model version to score with, else the one LATEST names
     * @param followLatest switch to each version LATEST names later (the stream), unless pinned
     */
    public static ScoringSession start(String appName, String master, Settings settings, Optional<String> pinned,
            boolean followLatest) {
        try (var session = CassandraSessions.open(settings)) {
            SchemaInstaller.install(session, settings.replication());
        }
        SparkSession spark = PipelineSpark.open(appName, master, settings);
        LOG.info("\n{}", PipelineSpark.describe(spark));
        ModelStore store = new ModelStore(settings.models());
        ModelWatcher models = followLatest && pinned.isEmpty()
                ? ModelWatcher.following(spark, store)
                : ModelWatcher.fixed(spark, store, pinned);
        Broadcast<ModelBundle> model = models.current();
        LOG.info("model {}", model.value().version());
        CassandraTarget cassandra = CassandraTarget.of(spark, settings);
        CompletableFuture<Void> warmUp = CompletableFuture.runAsync(() -> ExecutorWarmUp.run(spark, model, cassandra));
        return new ScoringSession(spark, models, cassandra, warmUp);
    }
}
