package io.digitflow.pipeline.stream;

import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * One line per micro-batch that had files: where its time went, from Spark's own progress report.
 * An operator sees at a glance whether listing the inbox, the checkpoint or the scoring and
 * writing is what a slow stream waits on.
 */
final class BatchProgressLog extends StreamingQueryListener {
    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        var progress = event.progress();
        if (progress.numInputRows() == 0) {
            return;
        }
        Map<String, Long> ms = progress.durationMs();
        // Spark reports a batch after it committed, on its listener thread: the count of scored
        // files is printed by the batch itself (StreamJob), this line only says where time went.
        System.err.printf("stream: batch %d took %d ms (finding files %d, planning %d, scoring and writing %d, checkpoint %d)%n",
                progress.batchId(), get(ms, "triggerExecution"),
                get(ms, "latestOffset") + get(ms, "getBatch"), get(ms, "queryPlanning"), get(ms, "addBatch"),
                get(ms, "walCommit") + get(ms, "commitOffsets"));
    }

    private static long get(Map<String, Long> ms, String key) {
        Long v = ms.get(key);
        return v == null ? 0 : v;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
    }
}
