package io.digitflow.pipeline.scoring;

import io.digitflow.model.ModelStore;
import java.io.Serializable;

/** What is broadcast to the executors: the model version and its network file's bytes. */
public record ModelBundle(String version, byte[] networkFile) implements Serializable {
    static ModelBundle of(ModelStore.LoadedModel model) {
        return new ModelBundle(model.version(), model.networkFile());
    }
}
