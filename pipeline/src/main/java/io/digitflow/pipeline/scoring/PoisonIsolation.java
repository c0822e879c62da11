package io.digitflow.pipeline.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Scores a batch so that no single input can stop it: when the attempt on the whole batch fails in
 * a way no per-file check caught (and not because the database is away, which is everyone's
 * problem, not one file's), it is retried once, then the batch is halved and each half tried on
 * its own, down to the single items that still fail. Those are set aside with their own outcome;
 * everything else is scored. One bad item among n costs about 2·log2(n) extra attempts.
 */
public final class PoisonIsolation {
    private PoisonIsolation() {
    }

    /**
     * @param attempt    scores a list of items and returns one outcome per item, or throws
     * @param isolatable whether a failure may come from the items (otherwise it is rethrown)
     * @param setAside   the outcome of an item that fails on its own, given the failure
     */
    public static <T, R> List<R> run(List<T> items, Function<List<T>, List<R>> attempt, Predicate<RuntimeException> isolatable,
            SetAside<T, R> setAside) {
        try {
            return attempt.apply(items);
        } catch (RuntimeException first) {
            if (!isolatable.test(first)) {
                throw first;
            }
            try {
                return attempt.apply(items); // a passing fault: the whole batch at once again
            } catch (RuntimeException second) {
                if (!isolatable.test(second)) {
                    throw second;
                }
                return bisect(items, attempt, isolatable, setAside, second);
            }
        }
    }

    /** The outcome of an item that failed on its own. */
    @FunctionalInterface
    public interface SetAside<T, R> {
        R apply(T item, RuntimeException failure);
    }

    private static <T, R> List<R> bisect(List<T> items, Function<List<T>, List<R>> attempt,
            Predicate<RuntimeException> isolatable, SetAside<T, R> setAside, RuntimeException failure) {
        if (items.size() == 1) {
            return List.of(setAside.apply(items.get(0), failure));
        }
        List<R> out = new ArrayList<>(items.size());
        int half = items.size() / 2;
        for (List<T> part : List.of(items.subList(0, half), items.subList(half, items.size()))) {
            try {
                out.addAll(attempt.apply(part));
            } catch (RuntimeException e) {
                if (!isolatable.test(e)) {
                    throw e;
                }
                out.addAll(bisect(part, attempt, isolatable, setAside, e));
            }
        }
        return out;
    }
}
