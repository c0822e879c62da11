package io.digitflow.pipeline.stream;

import io.digitflow.inbox.Inbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.mnist.Mnist;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.Prediction;
import io.digitflow.results.PredictionStore;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.ModuleProcess;
import io.digitflow.testkit.PrivateCassandraNode;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import io.digitflow.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Cassandra goes away for 30 s while files keep arriving: the stream must restart its query from
 * the checkpoint by itself, say in its log that Cassandra is unreachable, keep the files in the
 * inbox while no row can be written and, once Cassandra is back, score every file exactly once.
 * Uses a Cassandra node of its own (ports: DIGITFLOW_OUTAGE_CASSANDRA_PORT / _STORAGE_PORT) so
 * the shared one is never stopped.
 */
class CassandraOutageIT {
    private static final long OUTAGE_MILLIS = 30_000;

    @Test
    void streamRecoversFromACassandraOutageAndScoresEveryFileOnce() throws Exception {
        Path work = TestHome.root().resolve("pipeline/target/outage-it/" + UUID.randomUUID());
        Path inbox = work.resolve("inbox");
        Files.createDirectories(inbox);
        Mnist.DataSet mnist = DigitImages.mnistTest();
        List<UUID> ids = new ArrayList<>();
        List<String> deliveredDuringOutage = new ArrayList<>();

        try (PrivateCassandraNode node = PrivateCassandraNode.onPortsFrom("DIGITFLOW_OUTAGE_CASSANDRA", 9342, work.resolve("cassandra"))) {
            node.start().requireSuccess();
            String cassandra = "127.0.0.1:" + node.port();
            ModuleProcess stream = ModuleProcess.start("pipeline", "io.digitflow.pipeline.stream.StreamJob",
                    Map.of("DIGITFLOW_CASSANDRA", cassandra), work.resolve("stream.log"),
                    "--inbox", inbox.toString(), "--models", TestModels.softmax().root().toString(),
                    "--checkpoint", work.resolve("checkpoint").toString(), "--archive", work.resolve("archive").toString(),
                    "--quarantine", work.resolve("quarantine").toString());
            try (stream) {
                for (int i = 0; i < 10; i++) {
                    ids.add(deliver(work, inbox, "before-" + i + ".png", mnist, i));
                }
                try (CqlSession session = open(node)) {
                    awaitRows(new PredictionStore(session), ids, stream, 300);
                }
                // Both tables written: the outage starts between batches, with files arriving.
                awaitInboxEmpty(inbox, stream);

                node.stop().requireSuccess();
                long outageEnd = System.currentTimeMillis() + OUTAGE_MILLIS;
                for (int i = 0; System.currentTimeMillis() < outageEnd; i++) {
                    String name = "during-" + i + ".png";
                    ids.add(deliver(work, inbox, name, mnist, 100 + i));
                    deliveredDuringOutage.add(name);
                    Thread.sleep(1_000);
                }
                assertTrue(stream.isAlive(), () -> "the stream must survive the outage:\n" + stream.logText());
                // No row can have been written, so no file delivered during the outage may have left the inbox.
                for (String name : deliveredDuringOutage) {
                    assertTrue(Files.exists(inbox.resolve(name)), () -> name + " left the inbox while Cassandra was down");
                }
                assertTrue(stream.logText().contains("Cassandra at " + cassandra + " is unreachable"),
                        () -> "the stream's log must name the outage:\n" + stream.logText());
                node.start().requireSuccess();
                long back = System.nanoTime();

                // A session opened after the restart: the test's own view must not depend on a driver reconnecting.
                try (CqlSession session = open(node)) {
                    PredictionStore store = new PredictionStore(session);
                    awaitRows(store, ids, stream, 240);
                    double caughtUp = (System.nanoTime() - back) / 1e9;
                    // A file leaves the inbox once its batch has written both tables.
                    awaitInboxEmpty(inbox, stream);
                    Map<UUID, Integer> copies = new HashMap<>();
                    for (Prediction p : store.recent(100_000)) {
                        copies.merge(p.imageId(), 1, Integer::sum);
                    }
                    for (UUID id : ids) {
                        assertEquals(1, copies.getOrDefault(id, 0), "rows for " + id);
                    }
                    // Its line of the fault table (bench/faults.sh): here the "next file" is every file
                    // that waited, and the seconds count from Cassandra's return.
                    System.out.printf("fault table: | Cassandra stopped for %d s while %d files arrived | %d | %d | 0 | %.1f (all waiting files, after Cassandra was back) |%n",
                            OUTAGE_MILLIS / 1000, deliveredDuringOutage.size(), ids.size(), ids.size(), caughtUp);
                }
                assertTrue(stream.isAlive(), () -> "the stream must still run:\n" + stream.logText());
            }
        }
    }

    private static CqlSession open(PrivateCassandraNode node) {
        return CassandraSessions.open(TestCassandra.settingsFor("127.0.0.1", node.port()));
    }

    private static UUID deliver(Path work, Path inbox, String name, Mnist.DataSet mnist, int index) throws Exception {
        byte[] png = DigitImages.encode(DigitImages.mnistGrey(mnist.image(index)), "png");
        Path tmp = work.resolve(name + ".tmp");
        Files.write(tmp, png);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return Inbox.derivedId(name, png);
    }

    private static void awaitRows(PredictionStore store, List<UUID> ids, ModuleProcess stream, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        for (UUID id : ids) {
            while (store.find(id).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, () -> "not all rows after " + seconds + " s; stream log:\n" + stream.logText());
                assertTrue(stream.isAlive(), () -> "the stream died:\n" + stream.logText());
                Thread.sleep(250);
            }
        }
    }

    /** Files are moved out of the inbox only after their batch has written its rows. */
    private static void awaitInboxEmpty(Path inbox, ModuleProcess stream) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            long left;
            try (Stream<Path> files = Files.walk(inbox)) {
                left = files.filter(Files::isRegularFile).filter(p -> !inbox.relativize(p).toString().startsWith(".")).count();
            }
            if (left == 0) {
                return;
            }
            long remaining = left;
            assertTrue(System.nanoTime() < deadline, () -> remaining + " files still in the inbox; stream log:\n" + stream.logText());
            Thread.sleep(250);
        }
    }
}
