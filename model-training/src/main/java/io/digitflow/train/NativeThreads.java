package io.digitflow.train;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many native threads nd4j (its own thread pool and the BLAS library) may use. By default
 * every JVM uses all cores; with K Spark tasks training side by side on K cores that makes K×K
 * threads fighting for K cores, and the data-parallel speed-up is lost (measured 1.10×). A
 * training task therefore keeps to the cores Spark gave it ({@code spark.task.cpus}, default 1).
 */
final class NativeThreads {
    private NativeThreads() {
    }

    /** Inside a Spark task: as many native threads as the task has CPUs. */
    static void limitToTaskCpus() {
        TaskContext task = TaskContext.get();
        set(task == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, task.cpus()));
    }

    /** Outside tasks (the driver's validation): every core. */
    static void useAllCores() {
        set(Runtime.getRuntime().availableProcessors());
    }

    private static void set(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        // OpenMP's thread count is a per-thread setting: this applies to the calling task thread.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
