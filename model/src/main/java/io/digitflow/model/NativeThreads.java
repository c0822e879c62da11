package io.digitflow.model;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many native threads nd4j (its own thread pool and the BLAS library) may use. By default
 * every JVM uses all cores; with K Spark tasks side by side on K cores that makes K×K threads
 * fighting for K cores: training lost its data-parallel speed-up that way (measured 1.10×), and
 * scoring tasks lose throughput the same way. A task therefore keeps to the cores Spark gave it
 * ({@code spark.task.cpus}, default 1); code outside tasks gets every core back.
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    /** Keeps the calling thread's native work to {@code threads} threads (at least one). */
    public static void limitTo(int threads) {
        int n = Math.max(1, threads);
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
        // OpenMP's thread count is a per-thread setting: this applies to the calling thread.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    }

    /** Every core (the driver's validation pass, a single-threaded scorer). */
    public static void useAllCores() {
        limitTo(Runtime.getRuntime().availableProcessors());
    }
}
