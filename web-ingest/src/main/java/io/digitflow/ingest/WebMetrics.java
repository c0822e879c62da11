package io.digitflow.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The page's metrics, served at {@code /metrics} in Prometheus' text format with the Prometheus
 * Java client (the stream uses the same library): uploads by outcome, request duration by route,
 * uploads waiting for a slot, and the JVM's own. A server's metrics live in its own registry, so
 * that several servers in one JVM (the tests) each count only their own.
 */
final class WebMetrics {
    /** How many files an accepted upload handed to the inbox (set by the upload's acceptance). */
    static final AttachmentKey<Integer> ACCEPTED_FILES = AttachmentKey.create(Integer.class);
    private static final AttachmentKey<Boolean> STARTED = AttachmentKey.create(Boolean.class);
    private static final double[] SECONDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter uploads = Counter.builder().name("digitflow_uploads_total")
            .help("Files accepted (outcome accepted, one per part) and upload requests refused, by outcome")
            .labelNames("outcome").register(registry);
    private final Histogram requests = Histogram.builder().name("digitflow_http_request_duration_seconds")
            .help("Time to answer a request, by route").unit(Unit.SECONDS).classicOnly().classicUpperBounds(SECONDS)
            .labelNames("route").register(registry);
    private final AtomicInteger waiting = new AtomicInteger();

    WebMetrics() {
        GaugeWithCallback.builder().name("digitflow_upload_queue_depth")
                .help("Uploads waiting for a free upload slot").callback(cb -> cb.call(waiting.get())).register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Times every request of {@code route} (its template, e.g. /api/predictions/{id}). */
    HttpHandler timed(String route, HttpHandler next) {
        return exchange -> {
            long start = System.nanoTime();
            exchange.addExchangeCompleteListener((ex, done) -> {
                requests.labelValues(route).observe((System.nanoTime() - start) / 1e9);
                done.proceed();
            });
            next.handleRequest(exchange);
        };
    }

    /** Counts each upload request's outcome once it is answered. */
    HttpHandler uploads(HttpHandler next) {
        return exchange -> {
            exchange.addExchangeCompleteListener((ex, done) -> {
                Integer files = ex.getAttachment(ACCEPTED_FILES);
                if (ex.getStatusCode() == 202 && files != null) {
                    uploads.labelValues("accepted").inc(files);
                } else {
                    uploads.labelValues(outcome(ex.getStatusCode())).inc();
                }
                done.proceed();
            });
            next.handleRequest(exchange);
        };
    }

    static String outcome(int status) {
        return switch (status) {
            case 202 -> "accepted";
            case 400 -> "malformed";
            case 401 -> "unauthorised";
            case 403 -> "forbidden";
            case 408 -> "too_slow";
            case 413 -> "too_large";
            case 415 -> "not_an_image";
            case 422 -> "image_too_large";
            case 503 -> "busy";
            case 507 -> "disk_full";
            default -> "error";
        };
    }

    /** Outside the upload slots' limiter: counts an upload as waiting until it gets a slot or an answer. */
    HttpHandler queued(HttpHandler limiter) {
        return exchange -> {
            waiting.incrementAndGet();
            exchange.addExchangeCompleteListener((ex, done) -> {
                if (ex.getAttachment(STARTED) == null) {
                    waiting.decrementAndGet(); // answered without a slot (the queue was full, or the client left)
                }
                done.proceed();
            });
            limiter.handleRequest(exchange);
        };
    }

    /** Inside the limiter: the upload has its slot. */
    HttpHandler started(HttpHandler next) {
        return exchange -> {
            if (exchange.putAttachment(STARTED, Boolean.TRUE) == null) {
                waiting.decrementAndGet();
            }
            next.handleRequest(exchange);
        };
    }

    /** {@code GET /metrics}. */
    HttpHandler scrape() {
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        // Collect once now, so that Prometheus's first scrape is not the one that loads the collectors.
        registry.scrape();
        return (HttpServerExchange exchange) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(out, registry.scrape());
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(out.toByteArray()));
        };
    }
}
