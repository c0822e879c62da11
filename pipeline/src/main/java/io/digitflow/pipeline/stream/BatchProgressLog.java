package io.digitflow.pipeline.stream;

import io.digitflow.pipeline.metrics.PipelineMetrics;
import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per micro-batch that had files: where its time went, from Spark's own progress report.
 * An operator sees at a glance whether listing the inbox, the checkpoint or the scoring and
 * writing is what a slow stream waits on.
 */
final class BatchProgressLog extends StreamingQueryListener {
    private static final Logger LOG = LoggerFactory.getLogger(BatchProgressLog.class);
    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        var progress = event.progress();
        Map<String, Long> ms = progress.durationMs();
        // Only a trigger that ran a batch has added one. (Spark's row count cannot tell: a batch
        // scored on the driver never runs its plan, so Spark counts no input rows for it.)
        if (!ms.containsKey("addBatch")) {
            return;
        }
        PipelineMetrics.BATCH_DURATION.observe(get(ms, "triggerExecution") / 1000.0);
        PipelineMetrics.LAST_BATCH.set(System.currentTimeMillis() / 1000.0);
        // Spark reports a batch after it committed, on its listener thread: the count of scored
        // files is logged by the batch itself (InboxQuery), this line only says where time went.
        LOG.info(String.format("stream: batch %d took %d ms (finding files %d + %d, planning %d, scoring and writing %d, checkpoint %d)",
                progress.batchId(), get(ms, "triggerExecution"),
                get(ms, "latestOffset"), get(ms, "getBatch"), get(ms, "queryPlanning"), get(ms, "addBatch"),
                get(ms, "walCommit") + get(ms, "commitOffsets")));
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
