package io.digitflow.pipeline.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.inbox.Inbox;
import io.digitflow.mnist.Mnist;
import io.digitflow.pipeline.scoring.ScorePartition;
import io.digitflow.results.Prediction;
import io.digitflow.results.PredictionStore;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.ModuleProcess;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import io.digitflow.testkit.TestModels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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
 * The real stream (its own JVM, a real local Spark, the shared Cassandra node) against inputs that
 * used to stop it or make it touch what is not its own. After each fault a normal file is dropped,
 * and it must be scored within 30 s; every fault gets its row (or its log line), nothing outside
 * the inbox is touched, and nothing is written twice. The seconds until the normal file's row are
 * printed for the fault table in docs/benchmarks.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamFaultsIT {
    private static final Duration NEXT_FILE_WITHIN = Duration.ofSeconds(30);

    private static Path work;
    private static Path inbox;
    private static Path outside;
    private static Path models;
    private static CqlSession session;
    private static PredictionStore store;
    private static Mnist.DataSet mnist;
    private static ModuleProcess stream;
    private static int starts;
    private static int next = 1000;
    /** The rows each test awaited (the fault's entries and the normal file after it), for its line of the fault table. */
    private static final List<UUID> awaited = new ArrayList<>();
    private static double nextFileSeconds = Double.NaN;

    @BeforeAll
    static void setUp() throws Exception {
        work = TestHome.root().resolve("pipeline/target/faults-it/" + UUID.randomUUID());
        inbox = Files.createDirectories(work.resolve("inbox"));
        outside = Files.createDirectories(work.resolve("users-own-files"));
        models = work.resolve("models");
        StreamJobIT.copyStore(TestModels.softmax(), models);
        session = TestCassandra.openSession();
        store = new PredictionStore(session);
        mnist = DigitImages.mnistTest();
        // What interrupted uploads leave behind, old enough to be swept at start, and one in flight.
        Inbox protocol = new Inbox(inbox);
        protocol.createDirectories();
        Path orphan = Files.writeString(protocol.sidecarOf(UUID.randomUUID()), "{}");
        Path leftover = Files.writeString(protocol.incoming().resolve("undertow123upload"), "half an upload");
        Path inFlight = Files.writeString(protocol.incoming().resolve("undertow456upload"), "an upload in flight");
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Files.setLastModifiedTime(orphan, twoHoursAgo);
        Files.setLastModifiedTime(leftover, twoHoursAgo);
        stream = start();
        awaitLog(stream, "stream: watching", Duration.ofSeconds(180));
        assertFalse(Files.exists(orphan), "an orphaned sidecar is swept at start");
        assertFalse(Files.exists(leftover), "a leftover of an interrupted upload is swept at start");
        assertTrue(Files.exists(inFlight), "an upload in flight is left alone");
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

    private static ModuleProcess start(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--inbox", inbox.toString(), "--models", models.toString(),
                "--checkpoint", work.resolve("checkpoint").toString(), "--archive", work.resolve("archive").toString(),
                "--quarantine", work.resolve("quarantine").toString(), "--max-file-mb", "1"));
        args.addAll(List.of(extra));
        return ModuleProcess.start("pipeline", "io.digitflow.pipeline.stream.StreamJob",
                Map.of("DIGITFLOW_CASSANDRA", TestCassandra.settings().cassandraSpec()), work.resolve("stream-" + starts++ + ".log"),
                args.toArray(String[]::new));
    }

    private static byte[] png(int i) {
        return DigitImages.encode(DigitImages.mnistGrey(mnist.image(i)), "png");
    }

    /** Writes beside the inbox and renames in, as every producer must. */
    private static void deliver(String relative, byte[] content) throws IOException {
        Path tmp = Files.createDirectories(work.resolve("staging")).resolve(UUID.randomUUID().toString());
        Files.write(tmp, content);
        Path target = inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A normal file dropped after a fault: it must be scored within 30 s. Returns the seconds it took. */
    private static double normalFileAfter(String fault) throws Exception {
        String name = "normal-" + next + ".png";
        byte[] content = png(next++);
        long start = System.nanoTime();
        deliver(name, content);
        Prediction p = awaitRow(Inbox.derivedId(name, content), NEXT_FILE_WITHIN);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(Prediction.Status.ok, p.status(), fault);
        nextFileSeconds = seconds;
        return seconds;
    }

    /**
     * The test's line of the fault table in docs/benchmarks.md (bench/faults.sh collects them):
     * entries in, rows out, duplicate rows in the recent table, seconds until the next normal file's row.
     */
    private static void report(String fault, int filesIn) {
        Map<UUID, Integer> copies = new HashMap<>();
        for (Prediction p : store.recent(100_000)) {
            copies.merge(p.imageId(), 1, Integer::sum);
        }
        long rows = awaited.stream().distinct().filter(id -> store.find(id).isPresent()).count();
        int duplicates = awaited.stream().distinct().mapToInt(id -> Math.max(0, copies.getOrDefault(id, 0) - 1)).sum();
        assertEquals(0, duplicates, fault + ": no row is written twice");
        System.out.printf("fault table: | %s | %d | %d | %d | %s |%n", fault, filesIn, rows, duplicates,
                Double.isNaN(nextFileSeconds) ? "-" : String.format("%.1f", nextFileSeconds));
        awaited.clear();
        nextFileSeconds = Double.NaN;
    }

    private static Prediction awaitRow(UUID id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            var p = store.find(id);
            if (p.isPresent()) {
                awaited.add(id);
                return p.get();
            }
            assertTrue(stream.isAlive(), () -> "the stream died:\n" + stream.logText());
            Thread.sleep(100);
        }
        throw new AssertionError("no row for " + id + " within " + within.toSeconds() + " s; stream log:\n" + stream.logText());
    }

    /** The row of an entry refused unread, identified by its path as the stream identifies it. */
    private static Prediction awaitRefusal(String relative) throws Exception {
        return awaitRow(Inbox.derivedId(relative, ScorePartition.UNREAD), Duration.ofSeconds(60));
    }

    private static void awaitLog(ModuleProcess process, String text, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (process.logText().contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' not logged within " + within.toSeconds() + " s:\n" + process.logText());
    }

    private static void awaitGone(Path entry) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
            assertTrue(System.nanoTime() < deadline, entry + " is still in the inbox");
            Thread.sleep(100);
        }
    }

    @Test
    @Order(1)
    void aHugeFileIsRefusedFromItsSizeAndBlocksNothing() throws Exception {
        Path huge = work.resolve("staging-huge.png");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // 3 GiB, sparse: over Spark's own 2 GiB limit and ours
        }
        Files.move(huge, inbox.resolve("huge.png"), StandardCopyOption.ATOMIC_MOVE);
        normalFileAfter("3 GiB file");
        Prediction row = awaitRefusal("huge.png");
        assertEquals("too_large", row.reason());
        awaitGone(inbox.resolve("huge.png"));
        assertEquals(3L << 30, Files.size(work.resolve("quarantine/huge.png")));
        report("a 3 GiB file (sparse)", 2);
    }

    @Test
    @Order(2)
    void linksAreNeverFollowedAndTheirTargetsStayWhereTheyAre() throws Exception {
        byte[] mine = png(7);
        Path myImage = Files.write(Files.createDirectories(outside.resolve("album")).resolve("mine.png"), mine);
        Path myFile = Files.write(outside.resolve("single.png"), mine);
        Files.createSymbolicLink(inbox.resolve("album-link"), outside.resolve("album"));
        Files.createSymbolicLink(inbox.resolve("file-link.png"), myFile);
        Files.createSymbolicLink(inbox.resolve("dangling.png"), outside.resolve("nothing-here.png"));
        Files.createSymbolicLink(inbox.resolve("zero.png"), Path.of("/dev/zero"));
        normalFileAfter("symbolic links (to a folder, a file, nothing, a device)");
        for (String link : List.of("album-link", "file-link.png", "dangling.png", "zero.png")) {
            assertEquals("not_a_regular_file", awaitRefusal(link).reason(), link);
            awaitGone(inbox.resolve(link));
            assertTrue(Files.isSymbolicLink(work.resolve("quarantine").resolve(link)), "the link itself is quarantined: " + link);
        }
        assertArrayEquals(mine, Files.readAllBytes(myImage), "the folder's file is where it was");
        assertArrayEquals(mine, Files.readAllBytes(myFile), "the linked file is where it was");
        assertFalse(store.find(Inbox.derivedId("album-link/mine.png", mine)).isPresent(), "nothing was read through the link");
        try (Stream<Path> archived = Files.walk(work.resolve("archive"))) {
            assertTrue(archived.noneMatch(p -> p.getFileName().toString().equals("mine.png")), "nothing was moved through the link");
        }
        report("symbolic links: to a folder outside, a file outside, nothing, /dev/zero", 5);
    }

    @Test
    @Order(3)
    void aFifoIsRefusedWithoutBeingOpened() throws Exception {
        Path fifo = inbox.resolve("pipe.png");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        normalFileAfter("FIFO");
        assertEquals("not_a_regular_file", awaitRefusal("pipe.png").reason());
        awaitGone(fifo);
        report("a FIFO", 2);
    }

    @Test
    @Order(4)
    void hiddenNamesAreRefusedWithARowInsteadOfWaitingUnseen() throws Exception {
        Map<String, byte[]> hidden = new HashMap<>();
        hidden.put("_draft.png", png(20));
        hidden.put(".secret.png", png(21));
        hidden.put("_batch/a.png", png(22));
        hidden.put("visible/.partial.png", png(23));
        for (var h : hidden.entrySet()) {
            if (!h.getKey().startsWith("_batch/")) {
                deliver(h.getKey(), h.getValue());
            }
        }
        Path folder = Files.createDirectories(work.resolve("staging/_batch"));
        Files.write(folder.resolve("a.png"), hidden.get("_batch/a.png"));
        Files.move(folder, inbox.resolve("_batch"), StandardCopyOption.ATOMIC_MOVE); // a whole hidden folder at once
        normalFileAfter("names starting with '_' or '.'");
        for (var h : hidden.entrySet()) {
            Prediction row = awaitRefusal(h.getKey());
            assertEquals("hidden_name", row.reason(), h.getKey());
        }
        awaitGone(inbox.resolve("_batch"));
        assertTrue(Files.exists(work.resolve("quarantine/_batch/a.png")));
        awaitLog(stream, "never reads names starting with", Duration.ofSeconds(5));
        report("names starting with '_' or '.' (files, a folder, in a subfolder)", 5);
    }

    @Test
    @Order(5)
    void oldFilesAndOddNamesAreScored() throws Exception {
        byte[] old = png(30);
        Path staged = Files.write(Files.createDirectories(work.resolve("staging")).resolve("old"), old);
        Files.setLastModifiedTime(staged, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        Files.move(staged, inbox.resolve("from-last-month.png"), StandardCopyOption.ATOMIC_MOVE); // mv keeps the old time
        byte[] colon = png(31);
        deliver("scan 12:30, #1?.png", colon);
        deliver("empty.png", new byte[0]);
        assertEquals("not_an_image", awaitRow(Inbox.derivedId("empty.png", new byte[0]), NEXT_FILE_WITHIN).reason());
        assertEquals(Prediction.Status.ok, awaitRow(Inbox.derivedId("from-last-month.png", old), NEXT_FILE_WITHIN).status());
        assertEquals(Prediction.Status.ok, awaitRow(Inbox.derivedId("scan 12:30, #1?.png", colon), NEXT_FILE_WITHIN).status());
        normalFileAfter("a month-old file, an empty file, a name with ':', ',', '#', '?'");
        report("a month-old file, an empty file, a name with ':', ',', '#', '?'", 4);
    }

    @Test
    @Order(6)
    void aSidecarThatDoesNotMatchItsImageMakesADropNotAWrongUpload() throws Exception {
        UUID named = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        Inbox protocol = new Inbox(inbox);
        Files.writeString(protocol.sidecarOf(named), "{\"id\":\"" + other + "\",\"name\":\"someone else's.png\",\"uploaded_at\":\""
                + Instant.now() + "\"}");
        byte[] content = png(40);
        deliver(named + ".png", content);
        UUID corrupt = UUID.randomUUID();
        Files.writeString(protocol.sidecarOf(corrupt), "{\"id\": \"" + corrupt);
        byte[] second = png(41);
        deliver(corrupt + ".png", second);

        Prediction p = awaitRow(Inbox.derivedId(named + ".png", content), NEXT_FILE_WITHIN);
        assertEquals(Prediction.Source.drop, p.source());
        assertFalse(store.find(other).isPresent(), "the sidecar's id is not trusted when the file name says otherwise");
        assertEquals(Prediction.Source.drop, awaitRow(Inbox.derivedId(corrupt + ".png", second), NEXT_FILE_WITHIN).source());
        awaitLog(stream, "scored as a drop", Duration.ofSeconds(5));
        normalFileAfter("a sidecar with another id, a corrupt sidecar");
        report("an upload whose sidecar names another id; one with a corrupt sidecar", 3);
    }

    @Test
    @Order(7)
    void aCheckpointIsRefusedForAnotherInbox() throws Exception {
        Path otherInbox = Files.createDirectories(work.resolve("other-inbox"));
        try (ModuleProcess wrong = ModuleProcess.start("pipeline", "io.digitflow.pipeline.stream.StreamJob",
                Map.of("DIGITFLOW_CASSANDRA", TestCassandra.settings().cassandraSpec()), work.resolve("wrong-inbox.log"),
                "--inbox", otherInbox.toString(), "--models", models.toString(), "--checkpoint", work.resolve("checkpoint").toString(),
                "--archive", work.resolve("other-archive").toString(), "--quarantine", work.resolve("other-quarantine").toString())) {
            assertEquals(2, wrong.waitFor(Duration.ofSeconds(60)), wrong.logText());
            assertTrue(wrong.logText().contains("belongs to the inbox " + inbox.toRealPath()), wrong.logText());
        }
        normalFileAfter("a second stream started on this inbox's checkpoint for another inbox");
        report("a stream for another inbox started on this checkpoint (refused, exit 2)", 1);
    }

    @Test
    @Order(8)
    void aDamagedCheckpointStopsWithTheRecoveryStepAndTheRecoveredStreamCatchesUp() throws Exception {
        stream.close();
        Path offsets = work.resolve("checkpoint/offsets");
        Path latest;
        try (Stream<Path> files = Files.list(offsets)) {
            latest = files.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .max((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()), Long.parseLong(b.getFileName().toString())))
                    .orElseThrow();
        }
        Files.write(latest, new byte[0]); // as a crash mid-write could leave it
        byte[] waiting = png(50);
        deliver("waited-through-recovery.png", waiting);

        stream = start();
        assertEquals(1, stream.waitFor(Duration.ofSeconds(180)), stream.logText());
        assertTrue(stream.logText().contains("is damaged") && stream.logText().contains("Recovery: move it aside"), stream.logText());

        Path checkpoint = work.resolve("checkpoint");
        Files.move(checkpoint, work.resolve("checkpoint.damaged"));
        // Restarted with the disk floor just above what is free: it must pause, and resume once space is freed.
        long freeMb = Files.getFileStore(inbox).getUsableSpace() >> 20;
        Path ballast = work.resolve("ballast");
        stream = start("--min-free-mb", Long.toString(freeMb - 300), "--keep-days", "0", "--max-log-kb", "1");
        try {
            awaitLog(stream, "stream: watching", Duration.ofSeconds(180));
            assertEquals(0, new ProcessBuilder("fallocate", "-l", "700M", ballast.toString()).start().waitFor());
            byte[] paused = png(51);
            deliver("during-pause.png", paused);
            awaitLog(stream, "stream: paused", Duration.ofSeconds(30));
            assertFalse(store.find(Inbox.derivedId("during-pause.png", paused)).isPresent(), "nothing scored while paused");
        } finally {
            Files.deleteIfExists(ballast);
        }
        awaitRow(Inbox.derivedId("during-pause.png", png(51)), Duration.ofSeconds(60));
        assertEquals(Prediction.Status.ok, awaitRow(Inbox.derivedId("waited-through-recovery.png", waiting), NEXT_FILE_WITHIN).status());
        normalFileAfter("a damaged checkpoint, moved aside; then a disk under the free-space floor");
        report("a truncated offsets file (exit 1 with the recovery step); then less free disk than the floor", 3);
    }

    @Test
    @Order(9)
    void theArchiveIsKeptToItsLimitAndTheCheckpointListIsRenewedWhenTheInboxIsEmpty() throws Exception {
        // Started with --keep-days 0: what the first run archived is gone at start.
        awaitLog(stream, "entries from " + work.resolve("archive"), Duration.ofSeconds(30));
        // Started with --max-log-kb 1: once the list of seen files outgrows that and the inbox is
        // empty, the checkpoint is renewed, and scoring goes on exactly once per file.
        List<UUID> ids = new ArrayList<>();
        for (int i = 60; i < 80; i++) {
            if (i == 70) {
                for (UUID id : ids) {
                    awaitRow(id, NEXT_FILE_WITHIN);
                }
                awaitLog(stream, "stream: renewed the checkpoint", Duration.ofSeconds(60));
            }
            byte[] content = png(i);
            deliver("after-renewal-" + i + ".png", content);
            ids.add(Inbox.derivedId("after-renewal-" + i + ".png", content));
        }
        for (UUID id : ids) {
            awaitRow(id, NEXT_FILE_WITHIN);
        }
        Map<UUID, Integer> copies = new HashMap<>();
        for (Prediction p : store.recent(100_000)) {
            copies.merge(p.imageId(), 1, Integer::sum);
        }
        for (UUID id : ids) {
            assertEquals(1, copies.getOrDefault(id, 0), "rows for " + id);
        }
        report("the checkpoint's list of seen files renewed between two bursts of 10 files", 20);
    }
}
