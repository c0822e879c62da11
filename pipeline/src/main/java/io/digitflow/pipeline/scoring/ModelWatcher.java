package io.digitflow.pipeline.scoring;

import io.digitflow.model.ModelException;
import io.digitflow.pipeline.metrics.PipelineMetrics;
import io.digitflow.model.ModelStore;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model broadcast to the executors. A fixed one ({@code score}, or a pinned version) never
 * changes; a following one ({@code stream}) is checked against {@code models/LATEST} on the driver
 * before each micro-batch (one small file read) and re-broadcast only when LATEST names another
 * version. A broken new version is reported and the current one kept, so a bad publish cannot stop
 * the stream.
 */
public final class ModelWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);
    private final ModelStore store;
    private final JavaSparkContext sc;
    private final boolean follow;
    private volatile Broadcast<ModelBundle> current;
    private String unusable = "";

    private ModelWatcher(SparkSession spark, ModelStore store, Optional<String> version, boolean follow) {
        this.store = store;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.follow = follow;
        ModelStore.LoadedModel first = version.map(store::load).orElseGet(store::loadLatest);
        this.current = sc.broadcast(ModelBundle.of(first));
        PipelineMetrics.model(first.version());
    }

    /** {@code version}, or the version LATEST names now, for the whole run. */
    public static ModelWatcher fixed(SparkSession spark, ModelStore store, Optional<String> version) {
        return new ModelWatcher(spark, store, version, false);
    }

    /** LATEST now, and whatever LATEST names later. */
    public static ModelWatcher following(SparkSession spark, ModelStore store) {
        return new ModelWatcher(spark, store, Optional.empty(), true);
    }

    /** The version scoring now, without looking at LATEST (safe from any thread). */
    public String version() {
        return current.value().version();
    }

    /** The model to score the next batch with (the driver's batch thread only). */
    public Broadcast<ModelBundle> current() {
        if (!follow) {
            return current;
        }
        Optional<String> latest = store.latestVersion();
        if (latest.isPresent() && !latest.get().equals(current.value().version()) && !latest.get().equals(unusable)) {
            try {
                ModelStore.LoadedModel next = store.load(latest.get());
                Broadcast<ModelBundle> old = current;
                current = sc.broadcast(ModelBundle.of(next));
                old.destroy();
                PipelineMetrics.model(next.version());
                LOG.info("model: now scoring with {}", next.version());
            } catch (ModelException e) {
                unusable = latest.get();
                PipelineMetrics.MODEL_RELOAD_FAILURES.inc();
                LOG.warn("model: keeping {}, the new LATEST is unusable: {}", current.value().version(), e.getMessage());
            }
        }
        return current;
    }
}
