package io.digitflow.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.Prediction.Status;
import io.digitflow.testkit.TestCassandra;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pipeline's bulk writer against the real shared node: every row in both tables, exactly once. */
class PredictionWriterIT {
    private static final int ROWS = 1_500;

    @Test
    void everyPredictionLandsInBothTablesOnceAcrossDaysAndReplays() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            // Three day partitions, and every 10th image rejected (null prediction columns).
            Instant uploaded = now.minus(i % 3, ChronoUnit.DAYS).minusMillis(i);
            predictions.add(i % 10 == 0
                    ? new Prediction(UUID.randomUUID(), "bad-" + i + ".txt", Source.drop, Status.rejected, "not_an_image",
                            null, null, null, "v-writer", uploaded, now)
                    : new Prediction(UUID.randomUUID(), "digit-" + i + ".png", Source.batch, Status.ok, null, i % 10, 0.5f,
                            probabilities(i % 10), "v-writer", uploaded, now));
        }
        try (CqlSession session = TestCassandra.openSession()) {
            // Twice, in the pipeline's 256-image slices: the second time is a replay and must overwrite.
            for (int round = 0; round < 2; round++) {
                PredictionWriter writer = new PredictionWriter(session, "LOCAL_QUORUM", 64);
                for (int from = 0; from < ROWS; from += 256) {
                    writer.write(predictions.subList(from, Math.min(ROWS, from + 256)));
                }
                writer.flush();
            }

            PredictionStore store = new PredictionStore(session);
            for (Prediction p : predictions) {
                Prediction back = store.find(p.imageId()).orElseThrow(() -> new AssertionError("no row for " + p.imageName()));
                assertEquals(p.imageName(), back.imageName());
                assertEquals(p.status(), back.status());
                assertEquals(p.predicted(), back.predicted());
                assertEquals(p.probabilities(), back.probabilities());
                assertEquals(p.uploadedAt(), back.uploadedAt());
                if (p.status() == Status.rejected) {
                    assertEquals("not_an_image", back.reason());
                    assertNull(back.confidence());
                }
            }
            Map<UUID, Integer> recentCopies = new HashMap<>();
            for (Prediction p : store.recent(1_000_000)) {
                recentCopies.merge(p.imageId(), 1, Integer::sum);
            }
            for (Prediction p : predictions) {
                assertEquals(1, recentCopies.getOrDefault(p.imageId(), 0), "recent rows of " + p.imageName());
            }
        }
    }

    @Test
    void aWriteThatCannotReachCassandraFailsWithAClearError() {
        CqlSession session = TestCassandra.openSession();
        PredictionWriter writer = new PredictionWriter(session, "LOCAL_QUORUM", 4);
        session.close();
        Prediction p = new Prediction(UUID.randomUUID(), "late.png", Source.drop, Status.ok, null, 1, 0.9f, probabilities(1),
                "v-writer", Instant.now(), Instant.now());
        var e = assertThrows(PredictionWriter.PredictionWriteException.class, () -> {
            writer.write(List.of(p));
            writer.flush();
        });
        assertTrue(e.getMessage().startsWith("writing predictions to Cassandra failed"), e.getMessage());
    }

    /**
     * A rehearsal (the stream's warm-up) builds the requests a write would send and sends none:
     * nothing reaches the observer or the tables, and the write that follows sends exactly the
     * rows the rehearsal counted.
     */
    @Test
    void aRehearsalBuildsTheWritesRequestsAndSendsNone() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            predictions.add(new Prediction(UUID.randomUUID(), "rehearsed-" + i + ".png", Source.drop, Status.ok, null, i % 10,
                    0.5f, probabilities(i % 10), "v-writer", now.minusMillis(i), now));
        }
        int[] sentRows = {0};
        try (CqlSession session = TestCassandra.openSession()) {
            PredictionWriter writer = new PredictionWriter(session, "LOCAL_QUORUM", 4,
                    (rows, nanos, error) -> {
                        synchronized (sentRows) {
                            sentRows[0] += rows;
                        }
                    });
            int rehearsed = writer.rehearse(predictions);
            writer.flush();
            PredictionStore store = new PredictionStore(session);
            synchronized (sentRows) {
                assertEquals(0, sentRows[0], "rows sent by a rehearsal");
            }
            assertTrue(store.find(predictions.get(0).imageId()).isEmpty(), "a rehearsed row was stored");

            writer.write(predictions);
            writer.flush();
            synchronized (sentRows) {
                assertEquals(2 * predictions.size(), sentRows[0], "a row in each table per prediction");
                assertEquals(sentRows[0], rehearsed, "rows the rehearsal counted");
            }
            assertTrue(store.find(predictions.get(0).imageId()).isPresent());
        }
    }

    /**
     * Every write carries the configured level, also on a session that sets none (the
     * spark-cassandra-connector's, whose default is the driver's LOCAL_ONE). Proved on one node
     * with the keyspace at replication factor 3: LOCAL_QUORUM needs two live replicas and is refused,
     * where LOCAL_ONE would be acknowledged.
     */
    @Test
    void writesGoAtTheConfiguredConsistencyEvenOnASessionThatSetsNone() {
        var settings = TestCassandra.settings();
        Prediction p = new Prediction(UUID.randomUUID(), "quorum.png", Source.drop, Status.ok, null, 3, 0.9f, probabilities(3),
                "v-writer", Instant.now(), Instant.now());
        try (CqlSession ours = TestCassandra.openSession();
                CqlSession bare = CqlSession.builder()
                        .addContactPoints(settings.cassandra().stream()
                                .map(a -> new java.net.InetSocketAddress(a.getHostString(), a.getPort())).toList())
                        .withLocalDatacenter(settings.localDatacenter()).build()) {
            ours.execute("ALTER KEYSPACE digitflow WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
            try {
                var quorum = assertThrows(PredictionWriter.PredictionWriteException.class, () -> {
                    PredictionWriter writer = new PredictionWriter(bare, "LOCAL_QUORUM", 4);
                    writer.write(List.of(p));
                    writer.flush();
                });
                assertTrue(quorum.getMessage().contains("UnavailableException")
                        && quorum.getMessage().contains("at consistency LOCAL_QUORUM"), quorum.getMessage());
                // The same write at LOCAL_ONE is acknowledged: the level, not the node, made the difference.
                PredictionWriter one = new PredictionWriter(bare, "LOCAL_ONE", 4);
                one.write(List.of(p));
                one.flush();
                // And the sessions this project opens itself default to the configured level too.
                var ownSession = assertThrows(com.datastax.oss.driver.api.core.DriverException.class,
                        () -> new PredictionStore(ours).save(p));
                assertTrue(String.valueOf(ownSession.getMessage()).contains("at consistency LOCAL_QUORUM"), ownSession.getMessage());
            } finally {
                ours.execute("ALTER KEYSPACE digitflow WITH replication = " + settings.replication());
            }
        }
    }

    private static List<Float> probabilities(int digit) {
        List<Float> p = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            p.add(i == digit ? 0.5f : 0.05f);
        }
        return p;
    }
}
