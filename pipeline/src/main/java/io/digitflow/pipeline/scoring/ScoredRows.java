package io.digitflow.pipeline.scoring;

import static io.digitflow.results.PredictionTable.*;

import io.digitflow.results.Prediction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What the scoring step hands back to the driver once a file's rows are stored: enough to move the
 * file out of the inbox and to write the batch report (the probabilities stay in Cassandra).
 */
public final class ScoredRows {
    public static final String PATH = "path";

    public static final StructType SCHEMA = new StructType()
            .add(IMAGE_ID, DataTypes.StringType, false)
            .add(IMAGE_NAME, DataTypes.StringType, false)
            .add(STATUS, DataTypes.StringType, false)
            .add(REASON, DataTypes.StringType, true)
            .add(PREDICTED, DataTypes.IntegerType, true)
            .add(CONFIDENCE, DataTypes.FloatType, true)
            .add(MODEL_VERSION, DataTypes.StringType, false)
            .add(PATH, DataTypes.StringType, false);

    /** The binaryFile source's schema, given explicitly (a streaming file source needs one). */
    public static final StructType BINARY_FILE = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("modificationTime", DataTypes.TimestampType, false)
            .add("length", DataTypes.LongType, false)
            .add("content", DataTypes.BinaryType, true);

    /**
     * The columns of a binaryFile listing the scoring step takes: never {@code content}, so Spark
     * lists the files but never reads them (the step reads each file itself, see {@link InboxFiles}).
     */
    public static final String[] LISTED = {"path", "modificationTime", "length"};

    public static final StructType LISTED_SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("modificationTime", DataTypes.TimestampType, false)
            .add("length", DataTypes.LongType, false);

    private ScoredRows() {
    }

    /** @param path the file's path as the binaryFile source gave it */
    static Row of(Prediction p, String path) {
        return new GenericRowWithSchema(new Object[] {p.imageId().toString(), p.imageName(), p.status().name(), p.reason(),
            p.predicted(), p.confidence(), p.modelVersion(), path}, SCHEMA);
    }
}
