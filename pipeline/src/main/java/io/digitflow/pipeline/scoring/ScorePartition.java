package io.digitflow.pipeline.scoring;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.NativeThreads;
import io.digitflow.pipeline.spark.CassandraTarget;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.results.Prediction;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.Prediction.Status;
import io.digitflow.results.PredictionWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one scoring step of the stream and of batch scoring, run in each Spark task: listed files
 * (path, modificationTime, length: never their content, which Spark would read whole, links
 * followed, and fail the batch on a file over 2 GiB) in, {@link ScoredRows} out, and every result
 * stored in Cassandra before the task ends.
 *
 * <p>Each file is read here ({@link InboxFiles}: no link followed, the size checked before a byte
 * is read), identified ({@link ImageIdentity}), preprocessed by the image module and scored in
 * batches of {@value #BATCH} by the broadcast model. A refused or undecodable file becomes a
 * {@code rejected} prediction with its reason; one file never fails the task.
 *
 * <p>Why scoring and writing share a task: one Spark job per micro-batch instead of one for scoring
 * and one per table, and the writes of one batch overlap the scoring of the next. The task returns
 * only after Cassandra acknowledged every row, so a batch whose task succeeded is stored, and a
 * failed write fails the task (and the micro-batch, which is then replayed from its checkpoint).
 */
public final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    public static final int BATCH = 256;
    /** Write requests outstanding per task: enough to keep a local node busy while the task scores. */
    static final int WRITES_IN_FLIGHT = 64;
    private static final Logger LOG = LoggerFactory.getLogger(ScorePartition.class);
    /** What stands for the content of a file refused without being read, in its derived id. */
    public static final byte[] UNREAD = "unread".getBytes(StandardCharsets.UTF_8);

    /**
     * Where the files come from.
     *
     * @param root           the inbox (stream) or the scored folder (batch): names are relative to it
     * @param fallbackSource the source of files that are not uploads (drop or batch)
     * @param maxFileBytes   larger files are refused unread
     */
    public record Inputs(String root, Source fallbackSource, long maxFileBytes) implements Serializable {
        public Inputs(Path root, Source fallbackSource, long maxFileBytes) {
            this(root.toString(), fallbackSource, maxFileBytes);
        }
    }

    private final Broadcast<ModelBundle> model;
    private final CassandraTarget cassandra;
    private final Inputs inputs;
    private final LongAccumulator scored;
    private final DoubleAccumulator waitedOnCassandra;
    private final boolean store;

    /**
     * @param scored            counts scored files as tasks go (progress), or null
     * @param waitedOnCassandra seconds tasks spent blocked on writes, or null
     */
    public ScorePartition(Broadcast<ModelBundle> model, CassandraTarget cassandra, Inputs inputs, LongAccumulator scored,
            DoubleAccumulator waitedOnCassandra) {
        this(model, cassandra, inputs, scored, waitedOnCassandra, true);
    }

    private ScorePartition(Broadcast<ModelBundle> model, CassandraTarget cassandra, Inputs inputs, LongAccumulator scored,
            DoubleAccumulator waitedOnCassandra, boolean store) {
        this.model = model;
        this.cassandra = cassandra;
        this.inputs = inputs;
        this.scored = scored;
        this.waitedOnCassandra = waitedOnCassandra;
        this.store = store;
    }

    /**
     * The same step that stores nothing (its rows still come back): to warm Spark's plan, the
     * driver's handling of the rows, the Cassandra session with its prepared inserts, and the JIT
     * up before real files come.
     */
    public ScorePartition withoutStoring() {
        return new ScorePartition(model, cassandra, inputs, null, null, false);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        DigitClassifier classifier = classifierForTask(model.value());
        try (CqlSession session = cassandra.openSession()) {
            PredictionWriter writer = cassandra.writer(session, WRITES_IN_FLIGHT);
            if (!store) {
                // The session, the prepared inserts and the batching are warmed too; nothing is sent.
                return scoreAll(files, classifier, writer::rehearse).iterator();
            }
            List<Row> outcomes = scoreAll(files, classifier, writer::write);
            writer.flush();
            if (waitedOnCassandra != null) {
                waitedOnCassandra.add(writer.secondsWaited());
            }
            return outcomes.iterator();
        }
    }

    /** Scores the files batch by batch, handing each batch's predictions to {@code store} as it goes. */
    private List<Row> scoreAll(Iterator<Row> files, DigitClassifier classifier, Consumer<List<Prediction>> store) {
        List<Row> outcomes = new ArrayList<>();
        while (files.hasNext()) {
            List<Prediction> batch = new ArrayList<>(BATCH);
            List<String> paths = new ArrayList<>(BATCH);
            scoreBatch(files, classifier, batch, paths);
            store.accept(batch);
            for (int i = 0; i < batch.size(); i++) {
                outcomes.add(ScoredRows.of(batch.get(i), paths.get(i)));
            }
            if (scored != null) {
                scored.add(batch.size());
            }
        }
        return outcomes;
    }

    /**
     * This task thread's classifier, with nd4j kept to the task's CPUs: K tasks each running
     * nd4j's all-core thread pool on K cores would fight over them.
     */
    static DigitClassifier classifierForTask(ModelBundle bundle) {
        TaskContext task = TaskContext.get();
        NativeThreads.limitTo(task == null ? Runtime.getRuntime().availableProcessors() : task.cpus());
        return Classifiers.forCurrentThread(bundle);
    }

    /** One file on its way: who it is, its listed path, and its input or the reason it has none. */
    private record Item(ImageIdentity id, String path, PreprocessResult input, FileRefusal refusal, String detail) {
    }

    /** Takes up to {@value #BATCH} files from {@code files} and adds their predictions and paths. */
    private void scoreBatch(Iterator<Row> files, DigitClassifier classifier, List<Prediction> out, List<String> paths) {
        Path root = Path.of(inputs.root());
        List<Item> items = new ArrayList<>(BATCH);
        float[] pixels = new float[BATCH * Preprocessor.PIXELS];
        int accepted = 0;
        while (items.size() < BATCH && files.hasNext()) {
            Item item = read(files.next(), root);
            if (item == null) {
                continue;
            }
            if (item.input() != null && item.input().isOk()) {
                System.arraycopy(item.input().pixels(), 0, pixels, accepted++ * Preprocessor.PIXELS, Preprocessor.PIXELS);
            }
            items.add(item);
        }
        float[][] probabilities = classifier.probabilities(pixels, accepted);
        Instant now = Instant.now();
        int next = 0;
        for (Item item : items) {
            ImageIdentity id = item.id();
            if (item.input() != null && item.input().isOk()) {
                // The input is kept with the row: corrections of it train the next model without the file.
                out.add(scoredPrediction(id, probabilities[next], classifier.version(), now)
                        .withPixels(Prediction.pixelBytes(pixels, next * Preprocessor.PIXELS)));
                next++;
            } else {
                String reason = item.refusal() != null ? item.refusal().code() : item.input().reason().code();
                out.add(new Prediction(id.id(), id.name(), id.source(), Status.rejected, reason, null, null, null,
                        classifier.version(), id.uploadedAt(), now));
            }
            paths.add(item.path());
        }
    }

    /** Reads, identifies and preprocesses one listed file; null when it is gone. */
    private Item read(Row row, Path root) {
        String path = row.getAs("path");
        Path file = ImageIdentity.pathOf(path);
        Instant modified = ((Timestamp) row.getAs("modificationTime")).toInstant();
        InboxFiles.Read read = InboxFiles.read(root, file, inputs.maxFileBytes());
        if (read instanceof InboxFiles.Gone) {
            LOG.info("{} was gone before it was read (moved by an earlier run of this batch, or removed)", file);
            return null;
        }
        if (read instanceof InboxFiles.Refused refused) {
            LOG.warn("{}: refused ({}): {}", file, refused.reason().code(), refused.detail());
            ImageIdentity id = unreadIdentity(root, file, modified);
            return new Item(id, path, null, refused.reason(), refused.detail());
        }
        byte[] content = ((InboxFiles.Bytes) read).content();
        ImageIdentity id = ImageIdentity.of(root, file, content, modified, inputs.fallbackSource());
        return new Item(id, path, Preprocessor.preprocess(content), null, null);
    }

    /**
     * The row of a file whose scoring failed in a way that stopped its whole batch, written from the
     * driver once {@link PoisonIsolation} has found it: rejected with {@code scoring_failed}.
     */
    Row setAside(Row listed, RuntimeException failure) {
        return refuse(listed, FileRefusal.SCORING_FAILED, "scoring it failed its whole batch: " + Failures.describe(failure, "?"));
    }

    /**
     * Writes, from the driver, the rejected row of a listed file that is refused without being
     * read, and returns its {@link ScoredRows} row.
     *
     * @param listed path, modificationTime and length, as {@link ScoredRows#LISTED_SCHEMA}
     */
    public Row refuse(Row listed, FileRefusal reason, String detail) {
        Path root = Path.of(inputs.root());
        String path = listed.getAs("path");
        Path file = ImageIdentity.pathOf(path);
        Instant modified = ((Timestamp) listed.getAs("modificationTime")).toInstant();
        ImageIdentity id = unreadIdentity(root, file, modified);
        Prediction p = new Prediction(id.id(), id.name(), id.source(), Status.rejected, reason.code(), null,
                null, null, model.value().version(), id.uploadedAt(), Instant.now());
        try (CqlSession session = cassandra.openSession()) {
            PredictionWriter writer = cassandra.writer(session, 1);
            writer.write(List.of(p));
            writer.flush();
        }
        LOG.warn("{}: refused ({}): {}", file, reason.code(), detail);
        return ScoredRows.of(p, path);
    }

    /** A file refused unread is identified by its path alone ({@link #UNREAD}), so a replay finds the same row. */
    private ImageIdentity unreadIdentity(Path root, Path file, Instant modified) {
        return ImageIdentity.of(root, file, UNREAD, modified, inputs.fallbackSource());
    }

    private static Prediction scoredPrediction(ImageIdentity id, float[] p, String version, Instant now) {
        int predicted = DigitClassifier.argmax(p);
        List<Float> probabilities = new ArrayList<>(p.length);
        for (float v : p) {
            probabilities.add(v);
        }
        return new Prediction(id.id(), id.name(), id.source(), Status.ok, null, predicted, p[predicted], probabilities,
                version, id.uploadedAt(), now);
    }
}
