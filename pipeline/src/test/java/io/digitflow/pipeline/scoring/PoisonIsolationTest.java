package io.digitflow.pipeline.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PoisonIsolationTest {
    /** Scores items like a batch job: all or nothing, failing whenever a poison item is in the batch. */
    private static final class Job implements Function<List<Integer>, List<String>> {
        private final Set<Integer> poison;
        private int transientFailures;
        final List<Integer> attemptSizes = new ArrayList<>();

        Job(Set<Integer> poison, int transientFailures) {
            this.poison = poison;
            this.transientFailures = transientFailures;
        }

        @Override
        public List<String> apply(List<Integer> items) {
            attemptSizes.add(items.size());
            if (transientFailures-- > 0) {
                throw new IllegalStateException("a passing fault");
            }
            for (int i : items) {
                if (poison.contains(i)) {
                    throw new IllegalArgumentException("poison " + i);
                }
            }
            return items.stream().map(i -> "ok " + i).toList();
        }
    }

    private static List<Integer> items(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void aHealthyBatchIsOneAttempt() {
        Job job = new Job(Set.of(), 0);
        assertEquals(100, PoisonIsolation.run(items(100), job, e -> true, (i, e) -> "aside " + i).size());
        assertEquals(List.of(100), job.attemptSizes);
    }

    @Test
    void aPassingFaultIsRetriedWholeOnce() {
        Job job = new Job(Set.of(), 1);
        List<String> out = PoisonIsolation.run(items(10), job, e -> true, (i, e) -> "aside " + i);
        assertEquals(items(10).stream().map(i -> "ok " + i).toList(), out);
        assertEquals(List.of(10, 10), job.attemptSizes);
    }

    @Test
    void poisonItemsAreSetAsideAndEveryOtherItemIsScored() {
        Job job = new Job(Set.of(3, 4096, 4999), 0);
        List<String> out = PoisonIsolation.run(items(5000), job, e -> true, (i, e) -> "aside " + i + " (" + e.getMessage() + ")");
        assertEquals(5000, out.size());
        assertTrue(out.containsAll(List.of("aside 3 (poison 3)", "aside 4096 (poison 4096)", "aside 4999 (poison 4999)")), out.toString());
        assertEquals(4997, out.stream().filter(s -> s.startsWith("ok ")).distinct().count());
        // Two whole attempts, then about two per halving level for each poison item: not one attempt per file.
        assertTrue(job.attemptSizes.size() < 90, job.attemptSizes.size() + " attempts");
    }

    @Test
    void failuresThatNoItemExplainsAreRethrownNotIsolated() {
        IllegalStateException down = new IllegalStateException("Cassandra is down");
        Function<List<Integer>, List<String>> job = items -> {
            throw down;
        };
        assertSame(down, assertThrows(IllegalStateException.class,
                () -> PoisonIsolation.run(items(8), job, e -> e != down, (i, e) -> "aside " + i)));
    }
}
