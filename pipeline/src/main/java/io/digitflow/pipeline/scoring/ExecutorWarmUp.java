package io.digitflow.pipeline.scoring;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.model.DigitClassifier;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.pipeline.spark.CassandraTarget;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Readies every executor thread before the stream says it is watching: restores the network,
 * decodes and scores a generated digit (loading the decoders and nd4j's kernels), and opens the
 * Cassandra session with both statements prepared. Without it the first micro-batch after a start
 * paid all of that (2.9–4.1 s measured) and the first upload waited for it. Writes nothing.
 */
final class ExecutorWarmUp {
    private ExecutorWarmUp() {
    }

    static void run(SparkSession spark, Broadcast<ModelBundle> model, CassandraTarget cassandra) {
        int slots = spark.sparkContext().defaultParallelism();
        JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(IntStream.range(0, slots).boxed().toList(), slots)
                .foreachPartition(ignored -> warm(model.value(), cassandra));
    }

    /** Rounds of preprocessing a drawing like the page's: enough for the JIT to compile its loops. */
    static final int DRAWINGS = 12;

    private static void warm(ModelBundle bundle, CassandraTarget cassandra) {
        DigitClassifier classifier = ScorePartition.classifierForTask(bundle);
        PreprocessResult sample = Preprocessor.preprocess(WarmUpImages.digit());
        if (!sample.isOk()) {
            throw new IllegalStateException("the warm-up digit was rejected: " + sample.reason());
        }
        classifier.probabilities(sample.pixels(), 1);
        // The page sends 280x280 RGBA drawings: their decoding, compositing and resampling paths are
        // others than a 28x28 grey PNG's, and cold they made the first upload after a start ~2 s slow.
        byte[] drawing = WarmUpImages.drawing();
        for (int i = 0; i < DRAWINGS; i++) {
            Preprocessor.preprocess(drawing);
        }
        try (CqlSession session = cassandra.openSession()) {
            cassandra.writer(session, 1); // prepares the inserts on this JVM's session
        }
    }
}
