package io.digitflow.stream;

import io.digitflow.model.ModelException;
import io.digitflow.model.ModelStore;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps the broadcast model in step with {@code models/LATEST}: checked on the driver before each
 * micro-batch (one small file read), re-broadcast only when LATEST names another version. A
 * broken new version is reported and the current one kept, so a bad publish cannot stop the stream.
 */
final class ModelWatcher {
    private final ModelStore store;
    private final JavaSparkContext sc;
    private final Optional<String> pinned;
    private Broadcast<ModelBundle> current;
    private String unusable = "";

    ModelWatcher(SparkSession spark, ModelStore store, Optional<String> pinnedVersion) {
        this.store = store;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.pinned = pinnedVersion;
        ModelStore.LoadedModel first = pinned.map(store::load).orElseGet(store::loadLatest);
        this.current = sc.broadcast(ModelBundle.of(first));
    }

    /** The model to score the next batch with. */
    Broadcast<ModelBundle> current() {
        if (pinned.isPresent()) {
            return current;
        }
        Optional<String> latest = store.latestVersion();
        if (latest.isPresent() && !latest.get().equals(current.value().version()) && !latest.get().equals(unusable)) {
            try {
                ModelStore.LoadedModel next = store.load(latest.get());
                Broadcast<ModelBundle> old = current;
                current = sc.broadcast(ModelBundle.of(next));
                old.destroy();
                System.err.println("model: now scoring with " + next.version());
            } catch (ModelException e) {
                unusable = latest.get();
                System.err.println("model: keeping " + current.value().version() + ", the new LATEST is unusable: " + e.getMessage());
            }
        }
        return current;
    }
}
