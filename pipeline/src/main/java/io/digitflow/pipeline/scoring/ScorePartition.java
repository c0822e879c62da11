package io.digitflow.pipeline.scoring;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.NativeThreads;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.results.Prediction;
import io.digitflow.results.Prediction.Source;
import io.digitflow.results.Prediction.Status;
import io.digitflow.results.PredictionWriter;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The one scoring step of the stream and of batch scoring, run in each Spark task: binaryFile rows
 * (path, modificationTime, length, content) in, {@link ScoredRows} out, and every result stored in
 * Cassandra before the task ends. Each image is preprocessed by the core code, identified
 * ({@link ImageIdentity}) and scored in batches of {@value #BATCH} by the broadcast model; a
 * rejected image becomes a {@code rejected} prediction with its reason.
 *
 * <p>Why scoring and writing share a task: one Spark job per micro-batch instead of one for scoring
 * and one per table, and the writes of one batch overlap the scoring of the next. The task returns
 * only after Cassandra acknowledged every row, so a batch whose task succeeded is stored, and a
 * failed write fails the task (and the micro-batch, which is then replayed from its checkpoint).
 *
 * <p>A batch also closes at 32 MB of file content: it keeps its files' bytes until its rows are
 * built, and 256 ten-megabyte photos would not fit the stream's heap.
 */
public final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    public static final int BATCH = 256;
    static final long BATCH_BYTES = 32L << 20;
    /** Write requests outstanding per task: enough to keep a local node busy while the task scores. */
    static final int WRITES_IN_FLIGHT = 64;

    private final Broadcast<ModelBundle> model;
    private final CassandraConnector cassandra;
    private final String root;
    private final Source fallbackSource;
    private final LongAccumulator scored;
    private final DoubleAccumulator waitedOnCassandra;

    /**
     * @param root              the inbox (stream) or the scored folder (batch): names are relative to it
     * @param fallbackSource    the source of files that are not uploads
     * @param scored            counts scored files as tasks go (progress), or null
     * @param waitedOnCassandra seconds tasks spent blocked on writes, or null
     */
    public ScorePartition(Broadcast<ModelBundle> model, CassandraConnector cassandra, Path root, Source fallbackSource,
            LongAccumulator scored, DoubleAccumulator waitedOnCassandra) {
        this.model = model;
        this.cassandra = cassandra;
        this.root = root.toString();
        this.fallbackSource = fallbackSource;
        this.scored = scored;
        this.waitedOnCassandra = waitedOnCassandra;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        DigitClassifier classifier = classifierForTask(model.value());
        Path rootPath = Path.of(root);
        List<Row> outcomes = new ArrayList<>();
        try (CqlSession session = cassandra.openSession()) {
            PredictionWriter writer = new PredictionWriter(session, WRITES_IN_FLIGHT);
            while (files.hasNext()) {
                List<Prediction> batch = new ArrayList<>(BATCH);
                List<String> paths = new ArrayList<>(BATCH);
                scoreBatch(files, classifier, rootPath, batch, paths);
                writer.write(batch);
                for (int i = 0; i < batch.size(); i++) {
                    outcomes.add(ScoredRows.of(batch.get(i), paths.get(i)));
                }
                if (scored != null) {
                    scored.add(batch.size());
                }
            }
            writer.flush();
            if (waitedOnCassandra != null) {
                waitedOnCassandra.add(writer.secondsWaited());
            }
        }
        return outcomes.iterator();
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

    /** Takes up to {@value #BATCH} files (or 32 MB) from {@code files} and adds their predictions and paths. */
    private void scoreBatch(Iterator<Row> files, DigitClassifier classifier, Path rootPath, List<Prediction> out,
            List<String> paths) {
        List<Row> inputs = new ArrayList<>(BATCH);
        List<PreprocessResult> results = new ArrayList<>(BATCH);
        float[] pixels = new float[BATCH * Preprocessor.PIXELS];
        int accepted = 0;
        long bytes = 0;
        while (inputs.size() < BATCH && bytes < BATCH_BYTES && files.hasNext()) {
            Row file = files.next();
            byte[] content = file.getAs("content");
            bytes += content == null ? 0 : content.length;
            PreprocessResult r = Preprocessor.preprocess(content);
            if (r.isOk()) {
                System.arraycopy(r.pixels(), 0, pixels, accepted++ * Preprocessor.PIXELS, Preprocessor.PIXELS);
            }
            inputs.add(file);
            results.add(r);
        }
        float[][] probabilities = classifier.probabilities(pixels, accepted);
        Instant now = Instant.now();
        int next = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Row file = inputs.get(i);
            String path = file.getAs("path");
            byte[] content = file.getAs("content");
            Instant modified = ((Timestamp) file.getAs("modificationTime")).toInstant();
            ImageIdentity id = ImageIdentity.of(rootPath, ImageIdentity.pathOf(path), content == null ? new byte[0] : content,
                    modified, fallbackSource);
            PreprocessResult r = results.get(i);
            out.add(r.isOk()
                    ? scoredPrediction(id, probabilities[next++], classifier.version(), now)
                    : new Prediction(id.id(), id.name(), id.source(), Status.rejected, r.reason().code(), null, null, null,
                            classifier.version(), id.uploadedAt(), now));
            paths.add(path);
        }
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
