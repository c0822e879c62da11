package io.digitflow.pipeline.scoring;

import io.digitflow.config.Settings;
import io.digitflow.model.ModelStore;
import io.digitflow.pipeline.spark.CassandraTarget;
import io.digitflow.pipeline.spark.PipelineSpark;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.SchemaInstaller;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up both scoring jobs share, in this order: the schema in Cassandra (idempotent) while
 * the Spark session opens, the model broadcast to the executors, and the executors readied
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
        long start = System.nanoTime();
        // The schema is applied while Spark starts: each takes seconds, mostly waiting or loading classes.
        CompletableFuture<Void> schema = CompletableFuture.runAsync(() -> {
            try (var session = CassandraSessions.open(settings)) {
                SchemaInstaller.install(session, settings.replication());
            }
        });
        SparkSession spark = PipelineSpark.open(appName, master, settings);
        try {
            schema.join();
        } catch (CompletionException e) {
            spark.stop();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        LOG.info("\n{}", PipelineSpark.describe(spark));
        ModelStore store = new ModelStore(settings.models());
        ModelWatcher models = followLatest && pinned.isEmpty()
                ? ModelWatcher.following(spark, store)
                : ModelWatcher.fixed(spark, store, pinned);
        Broadcast<ModelBundle> model = models.current();
        LOG.info("model {} (schema, Spark and model ready in {} ms)", model.value().version(), (System.nanoTime() - start) / 1_000_000);
        CassandraTarget cassandra = CassandraTarget.of(spark, settings);
        CompletableFuture<Void> warmUp = CompletableFuture.runAsync(() -> ExecutorWarmUp.run(spark, model, cassandra));
        return new ScoringSession(spark, models, cassandra, warmUp);
    }
}
