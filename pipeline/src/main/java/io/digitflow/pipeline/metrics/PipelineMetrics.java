package io.digitflow.pipeline.metrics;

import io.digitflow.results.PredictionWriter;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;

/**
 * The stream's metrics, in Prometheus' text format at {@code http://HOST:PORT/metrics}, with the
 * Prometheus Java client. Why not Spark's own metrics system: it names everything by application
 * id, serves it through the Spark UI this pipeline runs without, and knows nothing of files,
 * rejects, backlog or the model; the same small library also serves the web server's metrics.
 * In local mode the executors are this JVM, so the tasks' write timings land here too (on a
 * cluster they stay on the executors, and only the driver's figures are served).
 */
public final class PipelineMetrics {
    private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    public static final Counter FILES = Counter.builder().name("digitflow_stream_files_total")
            .help("Files the stream stored a row for, by status (ok, rejected) and reject reason (empty when ok)")
            .labelNames("status", "reason").register();
    public static final Gauge BACKLOG = Gauge.builder().name("digitflow_stream_backlog_files")
            .help("Files waiting in the inbox to be scored (counted every few seconds)").register();
    public static final Gauge OLDEST_WAITING = Gauge.builder().name("digitflow_stream_oldest_waiting_seconds")
            .help("How long the oldest waiting file has been in the inbox (0 when none waits)").unit(Unit.SECONDS).register();
    public static final Histogram BATCH_DURATION = Histogram.builder().name("digitflow_stream_batch_duration_seconds")
            .help("Wall time of micro-batches that had files: finding, planning, scoring, writing, checkpoint")
            .unit(Unit.SECONDS).classicOnly().classicUpperBounds(SECONDS).register();
    public static final Gauge LAST_BATCH = Gauge.builder().name("digitflow_stream_last_batch_timestamp_seconds")
            .help("When the last micro-batch with files finished (Unix time)").register();
    public static final Counter ROWS_WRITTEN = Counter.builder().name("digitflow_cassandra_rows_written_total")
            .help("Rows acknowledged by Cassandra (a file's row in each of the two tables)").register();
    public static final Histogram WRITE_DURATION = Histogram.builder().name("digitflow_cassandra_write_duration_seconds")
            .help("Time from sending a write request (a batch of rows) to its acknowledgement")
            .unit(Unit.SECONDS).classicOnly().classicUpperBounds(SECONDS).register();
    public static final Counter WRITE_ERRORS = Counter.builder().name("digitflow_cassandra_write_errors_total")
            .help("Write requests Cassandra did not acknowledge (the micro-batch is replayed)").register();
    public static final Info MODEL = Info.builder().name("digitflow_model_info")
            .help("The model version scoring now").labelNames("version").register();
    public static final Counter MODEL_RELOAD_FAILURES = Counter.builder().name("digitflow_model_reload_failures_total")
            .help("New LATEST versions that could not be loaded (the current one was kept)").register();

    /** Files the stream stored a row for since it started, all statuses together. */
    public static long filesTotal() {
        return (long) FILES.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
    }

    /** Every write's timing and outcome, as the results module's writer reports them. */
    public static final PredictionWriter.Observer WRITES = (rows, nanos, error) -> {
        if (error == null) {
            ROWS_WRITTEN.inc(rows);
            WRITE_DURATION.observe(nanos / 1e9);
        } else {
            WRITE_ERRORS.inc();
        }
    };

    private PipelineMetrics() {
    }

    /**
     * Serves every registered metric (these and the JVM's) on {@code host:port}; port 0 picks a free
     * one. The process's resident memory, nd4j's native buffers included, is {@code process_resident_memory_bytes}.
     */
    public static HTTPServer serve(String host, int port) {
        JvmMetrics.builder().register();
        try {
            // Collect once now, so that Prometheus's first scrape is not the one that loads the collectors.
            PrometheusRegistry.defaultRegistry.scrape();
            return HTTPServer.builder().inetAddress(InetAddress.getByName(host)).port(port).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the stream's metrics on " + host + ":" + port + " (" + e.getMessage()
                    + "): set DIGITFLOW_STREAM_METRICS_PORT or --metrics-port to a free port", e);
        }
    }

    /** Which model scores now. */
    public static void model(String version) {
        MODEL.setLabelValues(version);
    }
}
