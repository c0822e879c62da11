package io.digitflow.pipeline.stream;

import io.digitflow.inbox.Inbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.ModelStore;
import io.digitflow.results.Prediction;
import io.digitflow.results.PredictionStore;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.ModuleProcess;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import io.digitflow.testkit.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The streaming job in a JVM of its own against the real shared Cassandra node: files arrive the
 * ways users deliver them, and the job is killed with SIGKILL mid-run and restarted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamJobIT {
    private static Path work;
    private static Path inbox;
    private static Path models;
    private static CqlSession session;
    private static PredictionStore store;
    private static Mnist.DataSet mnist;
    private static ModuleProcess stream;
    private static int restarts;

    @BeforeAll
    static void setUp() throws IOException {
        work = TestHome.root().resolve("pipeline/target/stream-it/" + UUID.randomUUID());
        inbox = work.resolve("inbox");
        models = work.resolve("models");
        Files.createDirectories(inbox);
        copyStore(TestModels.softmax(), models);
        session = TestCassandra.openSession();
        store = new PredictionStore(session);
        mnist = DigitImages.mnistTest();
        stream = startStream();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (stream != null) {
            stream.close();
        }
        if (session != null) {
            session.close();
        }
    }

    private static ModuleProcess startStream() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("DIGITFLOW_CASSANDRA", TestCassandra.settings().cassandraSpec());
        return ModuleProcess.start("pipeline", "io.digitflow.pipeline.stream.StreamJob", env, work.resolve("stream-" + restarts++ + ".log"),
                "--inbox", inbox.toString(), "--models", models.toString(),
                "--checkpoint", work.resolve("checkpoint").toString(),
                "--archive", work.resolve("archive").toString(), "--quarantine", work.resolve("quarantine").toString(),
                "--max-files", "50");
    }

    /** Writes beside the inbox and renames in, as every producer must (the inbox must only ever see whole files). */
    private static void deliver(Path relative, byte[] content) throws IOException {
        Path staging = work.resolve("staging").resolve(UUID.randomUUID().toString());
        Files.createDirectories(staging);
        Path tmp = staging.resolve("file");
        Files.write(tmp, content);
        Path target = inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] png(int i) {
        return DigitImages.encode(DigitImages.mnistGrey(mnist.image(i)), "png");
    }

    private static Prediction await(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            var p = store.find(id);
            if (p.isPresent()) {
                return p.get();
            }
            assertTrue(stream.isAlive(), () -> "the stream died:\n" + stream.logText());
            Thread.sleep(200);
        }
        throw new AssertionError("no row for " + id + " after 180 s; stream log:\n" + stream.logText());
    }

    @Test
    @Order(1)
    void scoresUploadsDropsBulkFoldersAndRejectsWithoutStopping() throws Exception {
        // An upload as web-ingest makes it: sidecar first, then the image renamed in.
        UUID uploadId = UUID.randomUUID();
        Instant uploadedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        deliver(Path.of(".meta", uploadId + ".json"), ("{\"id\":\"" + uploadId + "\",\"name\":\"my digit ✓.png\",\"uploaded_at\":\""
                + uploadedAt + "\"}").getBytes(StandardCharsets.UTF_8));
        deliver(Path.of(uploadId + ".png"), png(0));

        Map<UUID, Integer> expectedDigit = new HashMap<>();
        expectedDigit.put(uploadId, mnist.label(0));
        for (int i = 1; i <= 5; i++) {
            byte[] content = png(i);
            deliver(Path.of("drop " + i + ".png"), content);
            expectedDigit.put(Inbox.derivedId("drop " + i + ".png", content), mnist.label(i));
        }
        // A bulk drop: a whole folder (with a subfolder) renamed into the inbox at once.
        Path folder = work.resolve("bulk");
        Files.createDirectories(folder.resolve("inner"));
        for (int i = 6; i <= 15; i++) {
            String rel = (i % 2 == 0 ? "inner/" : "") + "b" + i + ".png";
            Files.write(folder.resolve(rel), png(i));
            expectedDigit.put(Inbox.derivedId("bulk/" + rel, png(i)), mnist.label(i));
        }
        Files.move(folder, inbox.resolve("bulk"), StandardCopyOption.ATOMIC_MOVE);
        byte[] junk = "not an image".getBytes(StandardCharsets.UTF_8);
        deliver(Path.of("junk.txt"), junk);
        byte[] photo = DigitImages.encode(DigitImages.paperPhoto(mnist.image(3), 200, 3), "png");
        byte[] truncated = java.util.Arrays.copyOf(photo, photo.length / 2);
        deliver(Path.of("cut.png"), truncated);

        Prediction upload = await(uploadId);
        assertEquals("my digit ✓.png", upload.imageName());
        assertEquals(Prediction.Source.upload, upload.source());
        assertEquals(uploadedAt, upload.uploadedAt());
        assertEquals(10, upload.probabilities().size());

        int correct = 0;
        for (var e : expectedDigit.entrySet()) {
            Prediction p = await(e.getKey());
            assertEquals(Prediction.Status.ok, p.status());
            if (p.predicted().equals(e.getValue())) {
                correct++;
            }
        }
        assertTrue(correct >= 13, "a ~91% model must get most of 16 clean digits right: " + correct);
        Prediction b6 = await(Inbox.derivedId("bulk/inner/b6.png", png(6)));
        assertEquals(Prediction.Source.drop, b6.source());
        // Every scored row keeps the network's input, so that a correction can be trained on without the file.
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                Prediction.pixelBytes(io.digitflow.preprocess.Preprocessor.preprocess(png(6)).pixels(), 0), b6.pixels());

        Prediction junkRow = await(Inbox.derivedId("junk.txt", junk));
        assertEquals(Prediction.Status.rejected, junkRow.status());
        assertEquals("not_an_image", junkRow.reason());
        assertEquals("truncated", await(Inbox.derivedId("cut.png", truncated)).reason());

        awaitInboxEmpty();
        assertTrue(Files.exists(work.resolve("quarantine/junk.txt")) && Files.exists(work.resolve("quarantine/cut.png")));
        assertTrue(Files.exists(work.resolve("archive/bulk/inner/b6.png")));
        assertTrue(stream.isAlive(), "rejects must not stop the query");
    }

    @Test
    @Order(2)
    void killNineMidRunThenRestartScoresEveryFileExactlyOnce() throws Exception {
        Path folder = work.resolve("burst");
        Files.createDirectories(folder);
        List<UUID> ids = new ArrayList<>();
        for (int i = 100; i < 400; i++) {
            Files.write(folder.resolve("k" + i + ".png"), png(i));
            ids.add(Inbox.derivedId("burst/k" + i + ".png", png(i)));
        }
        Files.move(folder, inbox.resolve("burst"), StandardCopyOption.ATOMIC_MOVE);
        // Kill it once the first micro-batch of the burst is in Cassandra, i.e. mid-run.
        firstWritten(ids);
        stream.kill9();
        long writtenBeforeKill = ids.stream().filter(id -> store.find(id).isPresent()).count();
        assertTrue(writtenBeforeKill < ids.size(), "the kill must land mid-run (" + writtenBeforeKill + " of 300 written)");

        stream = startStream();
        for (UUID id : ids) {
            await(id);
        }
        awaitInboxEmpty();
        // Exactly once: one row per image in the recent table too (a replay must overwrite, not add).
        Map<UUID, Integer> copies = new HashMap<>();
        for (Prediction p : store.recent(100_000)) {
            copies.merge(p.imageId(), 1, Integer::sum);
        }
        for (UUID id : ids) {
            assertEquals(1, copies.getOrDefault(id, 0), "rows for " + id);
        }
    }

    @Test
    @Order(3)
    void aNewLatestModelIsUsedWithoutRestart() throws Exception {
        String next = TestModels.publishAnotherVersion(new ModelStore(models), 99);
        // The watcher checks LATEST before every micro-batch; give the running batch time to finish.
        Thread.sleep(3_000);
        byte[] content = png(500);
        deliver(Path.of("after-reload.png"), content);
        assertEquals(next, await(Inbox.derivedId("after-reload.png", content)).modelVersion());
    }

    private static UUID firstWritten(List<UUID> ids) {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (UUID id : ids) {
                if (store.find(id).isPresent()) {
                    return id;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("nothing of the burst was written; log:\n" + stream.logText());
    }

    private static void awaitInboxEmpty() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.walk(inbox)) {
                if (files.filter(Files::isRegularFile).noneMatch(p -> !inbox.relativize(p).toString().startsWith("."))) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("files are still in the inbox after their rows were written");
    }

    static void copyStore(ModelStore from, Path to) throws IOException {
        String version = from.latestVersion().orElseThrow();
        Path dir = to.resolve(version);
        Files.createDirectories(dir);
        for (String f : List.of(ModelStore.NETWORK_FILE, ModelStore.METADATA_FILE)) {
            Files.copy(from.root().resolve(version).resolve(f), dir.resolve(f));
        }
        Files.writeString(to.resolve(ModelStore.LATEST), version + "\n");
    }
}
