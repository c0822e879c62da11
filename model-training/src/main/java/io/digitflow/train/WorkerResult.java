package io.digitflow.train;

import java.io.Serializable;

/**
 * What one Spark task hands back after training its slice: parameters, updater (Adam moment)
 * state, summed loss. Summed by treeAggregate, then divided by the worker count on the driver.
 */
record WorkerResult(float[] parameters, float[] updaterState, double lossSum, int workers) implements Serializable {

    static final WorkerResult EMPTY = new WorkerResult(null, null, 0, 0);

    WorkerResult plus(WorkerResult other) {
        if (other.workers == 0) {
            return this;
        }
        if (workers == 0) {
            return other;
        }
        return new WorkerResult(add(parameters, other.parameters), add(updaterState, other.updaterState),
                lossSum + other.lossSum, workers + other.workers);
    }

    private static float[] add(float[] a, float[] b) {
        if (a == null) {
            return b;
        }
        float[] sum = a.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += b[i];
        }
        return sum;
    }

    static float[] mean(float[] sum, int count) {
        if (sum == null) {
            return null;
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = sum[i] / count;
        }
        return mean;
    }
}
