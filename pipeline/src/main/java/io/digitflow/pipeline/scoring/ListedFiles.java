package io.digitflow.pipeline.scoring;

import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.spark.Dependency;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.datasources.FileScanRDD;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import scala.collection.JavaConverters;

/**
 * The files a binaryFile listing holds, read from its plan on the driver without a job: Spark's
 * file index has listed them (path, time, size) while planning, and its file scan carries them.
 *
 * <p>Why: a job over the scan looks every file up again in its task (the binaryFile reader's
 * status call, 7% of the tasks' time in a profile of the stream) only to hand the scoring step the
 * same three fields, and it cuts the files into tasks by bytes, which left an odd number of tasks
 * for two cores (the last one alone for ~5 s of a 100,000-file score). With the files in hand the
 * driver scores a handful itself and cuts the rest into tasks of its choosing
 * ({@link ScoringStep}). A file gone since it was listed is skipped when the task reads it.
 *
 * <p>This reads Spark's plan: the micro-batch of the stream (a LogicalRDD over the file scan) and
 * the listing of {@code score} (a file source relation). If Spark ever plans a listing otherwise,
 * no scan is found and the listing goes to a job over it as before.
 */
public final class ListedFiles {
    private ListedFiles() {
    }

    /** @return the listing's rows as {@link ScoredRows#LISTED_SCHEMA}, or empty when its plan has no file scan */
    public static Optional<List<Row>> of(Dataset<Row> listed) {
        List<PartitionedFile> files = new ArrayList<>();
        if (!collectScannedFiles(listed.queryExecution().toRdd(), files)) {
            return Optional.empty();
        }
        List<Row> rows = new ArrayList<>(files.size());
        for (PartitionedFile file : files) {
            rows.add(new GenericRowWithSchema(new Object[] {file.toPath().toString(), new Timestamp(file.modificationTime()),
                file.fileSize()}, ScoredRows.LISTED_SCHEMA));
        }
        return Optional.of(rows);
    }

    /** Adds the files of every file scan in the RDD's lineage; false when there is none. */
    private static boolean collectScannedFiles(RDD<?> planned, List<PartitionedFile> out) {
        Deque<RDD<?>> pending = new ArrayDeque<>();
        pending.push(planned);
        boolean found = false;
        while (!pending.isEmpty()) {
            RDD<?> rdd = pending.pop();
            if (rdd instanceof FileScanRDD scan) {
                found = true;
                for (FilePartition partition : JavaConverters.seqAsJavaList(scan.filePartitions())) {
                    out.addAll(List.of(partition.files()));
                }
            }
            for (Dependency<?> dependency : JavaConverters.seqAsJavaList(rdd.dependencies())) {
                pending.push(dependency.rdd());
            }
        }
        return found;
    }
}
