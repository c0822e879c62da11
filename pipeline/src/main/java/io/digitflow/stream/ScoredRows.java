package io.digitflow.stream;

import static io.digitflow.store.PredictionTable.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows the scoring step produces: every column of both Cassandra tables (named as in
 * {@link io.digitflow.store.PredictionTable}) plus the file's path, for moving it afterwards.
 */
final class ScoredRows {
    static final String PATH = "path";

    static final StructType SCHEMA = new StructType()
            .add(IMAGE_ID, DataTypes.StringType, false)
            .add(IMAGE_NAME, DataTypes.StringType, false)
            .add(SOURCE, DataTypes.StringType, false)
            .add(STATUS, DataTypes.StringType, false)
            .add(REASON, DataTypes.StringType, true)
            .add(PREDICTED, DataTypes.IntegerType, true)
            .add(CONFIDENCE, DataTypes.FloatType, true)
            .add(PROBABILITIES, DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add(MODEL_VERSION, DataTypes.StringType, false)
            .add(UPLOADED_AT, DataTypes.TimestampType, false)
            .add(SCORED_AT, DataTypes.TimestampType, false)
            .add(DAY, DataTypes.DateType, false)
            .add(PATH, DataTypes.StringType, false);

    /** The binaryFile source's schema, given explicitly (a streaming file source needs one). */
    static final StructType BINARY_FILE = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("modificationTime", DataTypes.TimestampType, false)
            .add("length", DataTypes.LongType, false)
            .add("content", DataTypes.BinaryType, true);

    private ScoredRows() {
    }

    static Dataset<Row> predictionsColumns(Dataset<Row> scored) {
        return scored.select(cols(IMAGE_ID, IMAGE_NAME, SOURCE, STATUS, REASON, PREDICTED, CONFIDENCE, PROBABILITIES,
                MODEL_VERSION, UPLOADED_AT, SCORED_AT));
    }

    static Dataset<Row> recentColumns(Dataset<Row> scored) {
        return scored.select(cols(DAY, UPLOADED_AT, IMAGE_ID, IMAGE_NAME, SOURCE, STATUS, REASON, PREDICTED, CONFIDENCE,
                MODEL_VERSION, SCORED_AT));
    }

    private static Column[] cols(String... names) {
        Column[] c = new Column[names.length];
        for (int i = 0; i < names.length; i++) {
            c[i] = functions.col(names[i]);
        }
        return c;
    }
}
