package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.results.Prediction;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.Prediction.Status;
import io.digitflow.results.PredictionStore;
import io.digitflow.testkit.TestCassandra;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The stream settles a file (stores its row, then moves it out of the inbox) between the page's
 * two looks: no row yet, and then no file either. The answer must be the stored result, not
 * "no such image". The inbox check here does what the stream would do at that moment, so the race
 * happens every time; real Undertow, real Cassandra.
 */
class ResultWhileSettledIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anImageSettledBetweenTheTwoLooksIsAnsweredWithItsResult() throws Exception {
        Map<UUID, Prediction> settling = new ConcurrentHashMap<>();
        try (CqlSession session = TestCassandra.openSession(); ResultsDatabase database = new ResultsDatabase(TestCassandra.settings())) {
            PredictionStore store = new PredictionStore(session);
            // Asked whether the file still waits, the stream has just stored its row and moved it out.
            Predicate<UUID> settledMeanwhile = id -> {
                Prediction row = settling.remove(id);
                if (row != null) {
                    store.save(row);
                }
                return false;
            };
            PredictionsHandler handler = new PredictionsHandler(database, settledMeanwhile);
            Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                    .setHandler(Handlers.routing()
                            .get("/api/predictions/{id}", new BlockingHandler(handler.one()))
                            .post("/api/predictions/{id}/label", new BlockingHandler(handler.label())))
                    .build();
            server.start();
            try {
                String base = "http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
                Prediction shown = prediction();
                settling.put(shown.imageId(), shown);
                HttpResponse<String> result = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + shown.imageId()))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, result.statusCode(), result.body());
                assertTrue(result.body().contains("\"predicted\":7"), result.body());

                Prediction corrected = prediction();
                settling.put(corrected.imageId(), corrected);
                HttpResponse<String> label = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + corrected.imageId() + "/label"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"digit\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, label.statusCode(), label.body());
                assertTrue(label.body().contains("\"label\":1"), label.body());

                // An image neither stored nor waiting is still unknown.
                HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/predictions/" + UUID.randomUUID()))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, unknown.statusCode(), unknown.body());
            } finally {
                server.stop();
            }
        }
    }

    private static Prediction prediction() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Prediction(UUID.randomUUID(), "settled.png", Source.upload, Status.ok, null, 7, 0.9f,
                List.of(0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.9f, 0.02f, 0.01f), "v-settled", now, now);
    }
}
