package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.inbox.Inbox;
import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.mnist.Mnist;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestHome;
import io.digitflow.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Uploads under load, end to end: a few hundred canvas-drawing PNGs from more concurrent clients
 * than the server processes at once, through the real Undertow server, scored by the real stream
 * JVM into the real shared Cassandra node. Every upload must be accepted and scored exactly once.
 */
class UploadLoadIT {
    private static final int UPLOADS = 300;
    private static final int CLIENTS = 12;
    /** Fewer upload slots than clients: requests beyond the bound must wait for a slot, not get 503. */
    private static final int UPLOAD_SLOTS = 4;

    private static Path work;
    private static StreamUnderTest stream;
    private static WebServer server;
    private static CqlSession session;
    private static List<byte[]> images;

    @BeforeAll
    static void start() throws Exception {
        work = TestHome.root().resolve("web-ingest/target/upload-load-it/" + UUID.randomUUID());
        String cassandra = TestCassandra.settings().cassandraSpec();
        stream = StreamUnderTest.start(work, TestModels.softmax().root(), cassandra);
        server = WebServer.start(WebServerIT.options(stream.inbox(), cassandra, 10).withUploadSlots(UPLOAD_SLOTS, WebOptions.DEFAULT_QUEUED_UPLOADS));
        session = TestCassandra.openSession();
        Mnist.DataSet mnist = DigitImages.mnistTest();
        images = IntStream.range(0, UPLOADS)
                .mapToObj(i -> DigitImages.encode(DigitImages.canvasDrawing(mnist.image(i), 280), "png")).toList();
        stream.awaitWatching(Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (stream != null) {
            stream.close();
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void everyConcurrentUploadIsAcceptedAndScoredExactlyOnce() throws Exception {
        String base = "http://127.0.0.1:" + server.port();
        UploadLoad.Outcome outcome = UploadLoad.run(base, images, CLIENTS, Duration.ofSeconds(60));
        assertEquals(Map.of(202, (long) UPLOADS), outcome.statusCounts(), () -> "not all accepted: " + outcome.refusals());
        List<UUID> ids = outcome.acceptedIds();
        assertEquals(UPLOADS, new HashSet<>(ids).size(), "every upload gets its own id");

        ScoringCheck check = new ScoringCheck(session, base);
        // Seconds on a quiet machine; the bound leaves room for a box shared with other builds.
        long drained = check.awaitPredictions(ids, Duration.ofSeconds(150));
        System.out.printf("UploadLoadIT: %d uploads from %d clients accepted at %.0f/s; all scored %.1f s after the last was accepted%n",
                UPLOADS, CLIENTS, outcome.acceptedPerSecond(), (drained - outcome.lastEndNanos()) / 1e9);
        assertEquals(List.of(), check.problems(ids, Duration.ofSeconds(10)));

        // Rows are upserts, so a file scored twice would leave the same rows: the job's own count
        // and the archive show whether any file went through the stream more than once.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stream.filesScored() < UPLOADS && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(UPLOADS, stream.filesScored(), stream::log);
        assertEquals(UPLOADS, countFiles(stream.archive(), ".png"), "each upload archived once");
        assertEquals(0, countFiles(stream.inbox(), ".png"), "nothing left in the inbox");
        assertEquals(0, countFiles(stream.inbox().resolve(Inbox.INCOMING), ""), "nothing left half-uploaded");
    }

    private static long countFiles(Path dir, String suffix) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        }
    }
}
