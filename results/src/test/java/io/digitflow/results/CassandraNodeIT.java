package io.digitflow.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.Prediction.Status;
import io.digitflow.testkit.PrivateCassandraNode;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded node's two safety properties, on a node of this test's own: a second start on the
 * same data directory is refused while the first keeps serving, and acknowledged rows survive a
 * kill -9 and a restart (commit log replay).
 */
class CassandraNodeIT {
    private static final int ROWS = 1_000;
    private static PrivateCassandraNode node;

    @BeforeAll
    static void startNode() throws IOException {
        Path dir = TestHome.root().resolve("results/target/cassandra-node-it");
        deleteRecursively(dir);
        node = PrivateCassandraNode.onPortsFrom("DIGITFLOW_IT_CASSANDRA", 9242, dir);
        node.start().requireSuccess();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void secondStartIsRefusedAndKillNineLosesNoAcknowledgedRow() throws Exception {
        List<UUID> written = new ArrayList<>();
        try (CqlSession session = CassandraSessions.open(TestCassandra.settingsFor("127.0.0.1", node.port()))) {
            PredictionStore store = new PredictionStore(session);
            Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < ROWS; i++) {
                UUID id = UUID.randomUUID();
                store.save(new Prediction(id, "row-" + i + ".png", Source.batch, Status.ok, null, i % 10, 0.5f,
                        null, "v-it", t.minusMillis(i), t));
                written.add(id);
            }

            long pidBefore = node.pid();
            PrivateCassandraNode.Result second = node.start();
            assertNotEquals(0, second.exitCode(), "a second node on the same directory must be refused");
            assertTrue(second.output().contains("refusing to start"), second.output());
            assertEquals(pidBefore, node.pid(), "the refused start must not touch the running node's pid file");
            assertEquals(0, node.status().exitCode(), "the first node must still be running");
            assertEquals(ROWS, countPresent(store, written), "the first node must still serve every row");
        }

        node.kill9();
        assertEquals(3, node.status().exitCode(), "after kill -9 the node must report not running");
        node.start().requireSuccess();

        try (CqlSession session = CassandraSessions.open(TestCassandra.settingsFor("127.0.0.1", node.port()))) {
            assertEquals(ROWS, countPresent(new PredictionStore(session), written),
                    "every acknowledged row must survive kill -9 and a restart");
        }
    }

    /**
     * What docs/cassandra.md says of the embedded node, read back from the running node itself: a
     * write is acknowledged after its group commit-log sync, and 128 threads apply writes (16 capped
     * the pipeline, since each waits for its sync).
     */
    @Test
    void theNodeSyncsItsCommitLogInGroupsWithEnoughWriteThreads() {
        try (CqlSession session = CassandraSessions.open(TestCassandra.settingsFor("127.0.0.1", node.port()))) {
            assertEquals("group", setting(session, "commitlog_sync"));
            assertEquals("15ms", setting(session, "commitlog_sync_group_window"));
            assertEquals("128", setting(session, "concurrent_writes"));
        }
    }

    private static String setting(CqlSession session, String name) {
        var row = session.execute("SELECT value FROM system_views.settings WHERE name = ?", name).one();
        return row == null ? null : row.getString("value");
    }

    private static long countPresent(PredictionStore store, List<UUID> ids) {
        return ids.stream().filter(id -> store.find(id).isPresent()).count();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
