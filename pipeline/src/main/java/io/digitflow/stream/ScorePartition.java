package io.digitflow.stream;

import io.digitflow.model.DigitClassifier;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.store.Prediction.Source;
import io.digitflow.store.Prediction.Status;
import io.digitflow.store.PredictionTable;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * The one scoring step of the stream and of batch scoring: binaryFile rows (path,
 * modificationTime, length, content) to {@link ScoredRows}. Each image is preprocessed by the core
 * code, identified ({@link ImageIdentity}), and scored in batches of {@value #BATCH} by the
 * broadcast model; a rejected image becomes a {@code rejected} row with its reason.
 * A batch also closes at 32 MB of file content: a batch keeps its files'
 * bytes until its rows are built, and 256 ten-megabyte photos would not fit the stream's heap.
 */
public final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    public static final int BATCH = 256;
    static final long BATCH_BYTES = 32L << 20;

    private final Broadcast<ModelBundle> model;
    private final String root;
    private final Source fallbackSource;
    private final LongAccumulator scored;

    ScorePartition(Broadcast<ModelBundle> model, Path root, Source fallbackSource, LongAccumulator scored) {
        this.model = model;
        this.root = root.toString();
        this.fallbackSource = fallbackSource;
        this.scored = scored;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        ModelBundle bundle = model.value();
        DigitClassifier classifier = Classifiers.forCurrentThread(bundle);
        Path rootPath = Path.of(root);
        return new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && files.hasNext()) {
                    batch = scoreBatch(files, classifier, bundle.version(), rootPath).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    private List<Row> scoreBatch(Iterator<Row> files, DigitClassifier classifier, String version, Path rootPath) {
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
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> out = new ArrayList<>(inputs.size());
        int next = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Row file = inputs.get(i);
            String path = file.getAs("path");
            byte[] content = file.getAs("content");
            Instant modified = ((Timestamp) file.getAs("modificationTime")).toInstant();
            ImageIdentity id = ImageIdentity.of(rootPath, ImageIdentity.pathOf(path), content == null ? new byte[0] : content,
                    modified, fallbackSource);
            PreprocessResult r = results.get(i);
            Integer predicted = null;
            Float confidence = null;
            List<Float> probs = null;
            if (r.isOk()) {
                float[] p = probabilities[next++];
                predicted = DigitClassifier.argmax(p);
                confidence = p[predicted];
                probs = boxed(p);
            }
            out.add(RowFactory.create(id.id().toString(), id.name(), id.source().name(),
                    (r.isOk() ? Status.ok : Status.rejected).name(), r.isOk() ? null : r.reason().code(),
                    predicted, confidence, probs == null ? null : probs.toArray(new Float[0]), version,
                    Timestamp.from(id.uploadedAt()), now, Date.valueOf(PredictionTable.dayOf(id.uploadedAt())), path));
        }
        if (scored != null) {
            scored.add(inputs.size());
        }
        return out;
    }

    private static List<Float> boxed(float[] p) {
        Float[] b = new Float[p.length];
        for (int i = 0; i < p.length; i++) {
            b[i] = p[i];
        }
        return Arrays.asList(b);
    }
}
