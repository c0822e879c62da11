package io.digitflow.train;

import io.digitflow.model.LayerHelpers;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network per executor thread, built once from the configuration and reused by every round's
 * task on that thread (building and initialising one costs more than a small round of training).
 */
final class WorkerNetworks {
    private static final ThreadLocal<Cached> CACHE = new ThreadLocal<>();

    private record Cached(String configuration, MultiLayerNetwork network) {
    }

    private WorkerNetworks() {
    }

    static MultiLayerNetwork forCurrentThread(String configuration) {
        Cached cached = CACHE.get();
        if (cached == null || !cached.configuration().equals(configuration)) {
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
            net.init();
            LayerHelpers.installForTraining(net);
            cached = new Cached(configuration, net);
            CACHE.set(cached);
        }
        return cached.network();
    }
}
