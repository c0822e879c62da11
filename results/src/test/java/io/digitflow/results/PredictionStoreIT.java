package io.digitflow.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.Prediction.Status;
import io.digitflow.testkit.TestCassandra;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes and reads through the project's store code against the real shared node. */
class PredictionStoreIT {
    private static CqlSession session;
    private static PredictionStore store;

    @BeforeAll
    static void connect() {
        session = TestCassandra.openSession();
        store = new PredictionStore(session);
    }

    @AfterAll
    static void close() {
        session.close();
    }

    private static List<Float> probabilities(int digit) {
        List<Float> p = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            p.add(i == digit ? 0.91f : 0.01f);
        }
        return p;
    }

    private static Prediction scored(UUID id, String name, int digit, Instant uploadedAt) {
        return new Prediction(id, name, Source.upload, Status.ok, null, digit, 0.91f, probabilities(digit),
                "v-test", uploadedAt, uploadedAt.plusMillis(250));
    }

    @Test
    void aCorrectionIsStoredOnBothRowsAndForTheTrainerAndSurvivesARescore() {
        UUID id = UUID.randomUUID();
        Instant uploaded = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        byte[] input = new byte[784];
        input[400] = (byte) 200;
        Prediction scored = scored(id, "looks like a 1.png", 1, uploaded).withPixels(input);
        store.save(scored);
        assertNull(store.find(id).orElseThrow().label());
        org.junit.jupiter.api.Assertions.assertArrayEquals(input, store.find(id).orElseThrow().pixels());

        assertEquals(7, store.label(id, 7, "api").orElseThrow().label());
        assertEquals(7, store.find(id).orElseThrow().label());
        assertEquals(7, store.recent(1000).stream().filter(p -> p.imageId().equals(id)).findFirst().orElseThrow().label());
        var row = session.execute("SELECT digit, predicted, source, pixels, model_version FROM digitflow.labels WHERE image_id = ?", id).one();
        assertEquals(7, row.getInt("digit"));
        assertEquals(1, row.getInt("predicted"));
        assertEquals("api", row.getString("source"));
        assertEquals((byte) 200, row.getByteBuffer("pixels").get(400), "the trainer gets the image as the network saw it");

        store.save(scored); // the same image scored again (a replay): the correction stays
        assertEquals(7, store.find(id).orElseThrow().label());
        assertEquals(4, store.label(id, 4, "page").orElseThrow().label(), "a later correction replaces an earlier one");
        assertTrue(store.label(UUID.randomUUID(), 3, "api").isEmpty(), "no such image");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> store.label(id, 10, "api"));
    }

    @Test
    void aScoredRowReadsBackWithEveryColumn() {
        UUID id = UUID.randomUUID();
        Instant uploaded = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.save(scored(id, "seven ✓.png", 7, uploaded));

        Prediction back = store.find(id).orElseThrow();
        assertEquals("seven ✓.png", back.imageName());
        assertEquals(7, back.predicted());
        assertEquals(0.91f, back.confidence());
        assertEquals(probabilities(7), back.probabilities());
        assertEquals(Status.ok, back.status());
        assertEquals(Source.upload, back.source());
        assertEquals(uploaded, back.uploadedAt());
        assertEquals(uploaded.plusMillis(250), back.scoredAt());
    }

    @Test
    void aRejectedRowKeepsItsReasonAndNoDigit() {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.save(new Prediction(id, "notes.txt", Source.drop, Status.rejected, "not_an_image",
                null, null, null, "v-test", now, now));

        Prediction back = store.find(id).orElseThrow();
        assertEquals(Status.rejected, back.status());
        assertEquals("not_an_image", back.reason());
        assertNull(back.predicted());
        assertNull(back.confidence());
        assertNull(back.probabilities());
    }

    @Test
    void unknownIdIsEmpty() {
        assertTrue(store.find(UUID.randomUUID()).isEmpty());
    }

    @Test
    void replayOverwritesInsteadOfDuplicating() {
        UUID id = UUID.randomUUID();
        Instant uploaded = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        store.save(scored(id, "replayed.png", 3, uploaded));
        store.save(scored(id, "replayed.png", 5, uploaded)); // e.g. re-scored after a crash

        assertEquals(5, store.find(id).orElseThrow().predicted());
        long copies = store.recent(10_000).stream().filter(p -> p.imageId().equals(id)).count();
        assertEquals(1, copies, "the recent table must hold one row per image, not one per write");
    }

    @Test
    void recentIsNewestFirstAcrossDayPartitions() {
        Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        List<UUID> ids = new ArrayList<>();
        // Written out of order, spread over three UTC days.
        int[] hoursBack = {30, 0, 52, 5};
        for (int h : hoursBack) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            store.save(scored(id, "h" + h, h % 10, base.minus(h, ChronoUnit.HOURS)));
        }
        Set<UUID> mine = Set.copyOf(ids);
        List<Prediction> recent = store.recent(10_000).stream()
                .filter(p -> mine.contains(p.imageId())).collect(Collectors.toList());

        assertEquals(List.of("h0", "h5", "h30", "h52"), recent.stream().map(Prediction::imageName).toList());
        for (int i = 1; i < recent.size(); i++) {
            assertTrue(recent.get(i - 1).uploadedAt().isAfter(recent.get(i).uploadedAt()));
        }
    }

    @Test
    void recentHonoursTheLimit() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 5; i++) {
            store.save(scored(UUID.randomUUID(), "limit-" + i, i, now.minusSeconds(i)));
        }
        assertEquals(3, store.recent(3).size());
        assertTrue(store.recent(0).isEmpty());
    }

    @Test
    void schemaCanBeAppliedAgain() {
        SchemaInstaller.install(session, TestCassandra.settings().replication());
        assertTrue(session.getMetadata().getKeyspace(PredictionTable.KEYSPACE).orElseThrow()
                .getTable(PredictionTable.RECENT).isPresent());
    }
}
