package io.digitflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A benchmark's work split as the pipeline splits it among its tasks: contiguous slices, one thread each. */
final class Slices {
    private Slices() {
    }

    /** What one thread does with its slice. */
    @FunctionalInterface
    interface Work<T, R> {
        R on(List<T> slice) throws Exception;
    }

    /** Runs {@code work} on {@code parts} contiguous slices of {@code items} at once, one thread each; the results in slice order. */
    static <T, R> List<R> inParallel(List<T> items, int parts, Work<T, R> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parts);
        try {
            List<Future<R>> running = new ArrayList<>(parts);
            int per = (items.size() + parts - 1) / parts;
            for (int p = 0; p < parts; p++) {
                List<T> slice = items.subList(Math.min(items.size(), p * per), Math.min(items.size(), (p + 1) * per));
                running.add(pool.submit(() -> work.on(slice)));
            }
            List<R> results = new ArrayList<>(parts);
            for (Future<R> r : running) {
                results.add(r.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }
}
