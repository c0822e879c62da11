package io.digitflow.pipeline.scoring;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.model.DigitClassifier;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.pipeline.spark.CassandraTarget;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
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
        PreprocessResult sample = Preprocessor.preprocess(samplePng());
        if (!sample.isOk()) {
            throw new IllegalStateException("the warm-up digit was rejected: " + sample.reason());
        }
        classifier.probabilities(sample.pixels(), 1);
        // The page sends 280x280 RGBA drawings: their decoding, compositing and resampling paths are
        // others than a 28x28 grey PNG's, and cold they made the first upload after a start ~2 s slow.
        byte[] drawing = sampleDrawing();
        for (int i = 0; i < DRAWINGS; i++) {
            Preprocessor.preprocess(drawing);
        }
        try (CqlSession session = cassandra.openSession()) {
            cassandra.writer(session, 1); // prepares the inserts on this JVM's session
        }
    }

    /** A 28×28 PNG of a thick vertical stroke: a "1". */
    static byte[] samplePng() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 5; y < 23; y++) {
            for (int x = 12; x < 16; x++) {
                image.getRaster().setSample(x, y, 0, 255);
            }
        }
        return png(image);
    }

    /** A 280×280 RGBA PNG like the page's canvas sends: dark round strokes (a "7") on transparency. */
    static byte[] sampleDrawing() {
        BufferedImage image = new BufferedImage(280, 280, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new java.awt.Color(0x11, 0x11, 0x11));
        g.setStroke(new java.awt.BasicStroke(18, java.awt.BasicStroke.CAP_ROUND, java.awt.BasicStroke.JOIN_ROUND));
        g.drawPolyline(new int[] {70, 210, 120}, new int[] {60, 60, 230}, 3);
        g.dispose();
        return png(image);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        // In memory, as ImageDecoder reads: ImageIO.write to a plain OutputStream spools through a
        // temporary file, and the stream would not start where the temp folder is not writable.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(png)) {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
