package io.digitflow.train;

import static io.digitflow.results.PredictionTable.*;

import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the labelled uploads from Cassandra through the spark-cassandra-connector's DataFrame
 * source, on the executors: the labels table, with the input each image was scored from.
 */
final class FeedbackReader {
    private FeedbackReader() {
    }

    static Feedback read(SparkSession spark) {
        List<Row> rows = spark.read()
                .format("org.apache.spark.sql.cassandra")
                .option("keyspace", KEYSPACE)
                .option("table", LABELS)
                .load()
                .select(IMAGE_ID, PIXELS, DIGIT)
                .where(PIXELS + " IS NOT NULL AND " + DIGIT + " BETWEEN 0 AND 9")
                .collectAsList();
        return Feedback.of(rows.stream()
                .filter(r -> ((byte[]) r.getAs(PIXELS)).length == 784)
                .map(r -> new Feedback.Example(UUID.fromString(r.getAs(IMAGE_ID)), r.getAs(PIXELS), r.<Integer>getAs(DIGIT)))
                .toList());
    }
}
