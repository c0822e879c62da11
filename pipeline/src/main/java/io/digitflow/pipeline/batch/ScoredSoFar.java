package io.digitflow.pipeline.batch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * How many files a job's tasks have counted so far, running tasks included. Spark adds a task's
 * accumulator updates to the driver's total only when the task ends, so with tasks of ~3,800 files
 * {@code score}'s progress line read 0 for the first ~15 s of a 100,000-file job and then moved in
 * steps of ~7,700. Running tasks send their updates with every executor heartbeat; this listener
 * keeps each running task's latest and adds a task's final count when it ends successfully.
 */
final class ScoredSoFar extends SparkListener {
    private final long counterId;
    private final Map<Long, Long> running = new HashMap<>();
    private final Set<Long> ended = new HashSet<>();
    private long finished;

    /** @param counter a named accumulator the tasks add to (Spark reports only named ones at a task's end) */
    ScoredSoFar(LongAccumulator counter) {
        this.counterId = counter.id();
    }

    /** Counted by finished tasks plus the last heartbeat of each running one. */
    synchronized long value() {
        return finished + running.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task : JavaConverters.seqAsJavaList(update.accumUpdates())) {
            long taskId = (Long) task._1();
            // A heartbeat taken just before a task ended can arrive after its end.
            if (!ended.contains(taskId)) {
                countIn(task._4()).ifPresent(count -> running.put(taskId, count));
            }
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        long taskId = end.taskInfo().taskId();
        ended.add(taskId);
        running.remove(taskId);
        // A failed task's updates are dropped by Spark too; its retry counts its files again.
        if (end.taskInfo().successful()) {
            finished += countIn(end.taskInfo().accumulables()).orElse(0L);
        }
    }

    private Optional<Long> countIn(Seq<AccumulableInfo> infos) {
        for (AccumulableInfo info : JavaConverters.seqAsJavaList(infos)) {
            if (info.id() == counterId && info.update().isDefined()) {
                return Optional.of(((Number) info.update().get()).longValue());
            }
        }
        return Optional.empty();
    }
}
