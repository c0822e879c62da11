package io.digitflow.ingest;

import java.util.function.Predicate;

/** Looks through an exception and its causes: what a failure means is often said only by a cause. */
final class Causes {
    private Causes() {
    }

    static boolean any(Throwable t, Predicate<Throwable> test) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (test.test(c)) {
                return true;
            }
        }
        return false;
    }
}
