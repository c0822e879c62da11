package io.digitflow.stream;

import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * One line per micro-batch that had files: how many, and where its time went, from Spark's own
 * progress report. An operator sees at a glance whether listing the inbox, the checkpoint or the
 * scoring and writing is what a slow stream waits on.
 */
final class BatchProgressLog extends StreamingQueryListener {
    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        var progress = event.progress();
        if (progress.numInputRows() == 0) {
            return;
        }
        Map<String, Long> ms = progress.durationMs();
        // "stream: batch N scored M files" is also what tests and scripts count exactly-once by.
        System.err.printf("stream: batch %d scored %d files in %d ms (finding files %d, planning %d, scoring and writing %d,"
                        + " checkpoint %d)%n",
                progress.batchId(), progress.numInputRows(), get(ms, "triggerExecution"),
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
