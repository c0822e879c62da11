package io.digitflow.pipeline.stream;

import io.digitflow.pipeline.scoring.ScoredRows;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Dependency;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.datasources.FileScanRDD;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import scala.collection.JavaConverters;

/**
 * The listing of a small micro-batch, made on the driver without a Spark job: the files come from
 * the batch's planned file scan, and each is looked up again as the binaryFile reader does in its
 * task (same path string, time and size; a file gone since is left out, as
 * {@code spark.sql.files.ignoreMissingFiles} leaves it out there). A job costs 130–600 ms of
 * scheduling on this box for one upload; scoring a handful of files costs a few milliseconds.
 *
 * <p>foreachBatch hands over a batch already planned (a LogicalRDD), so its files are found in
 * the RDD's lineage, in Spark's {@link FileScanRDD}. If Spark ever plans a batch differently, no
 * scan is found and the batch goes to a job as before.
 */
final class BatchFiles {
    private BatchFiles() {
    }

    /**
     * @return the batch's rows as {@link ScoredRows#LISTED_SCHEMA}, or empty when it holds more
     *         than {@code atMost} files or its files cannot be found in its plan
     */
    static Optional<List<Row>> listedIfAtMost(Dataset<Row> batch, int atMost, Configuration hadoop) {
        List<PartitionedFile> files = new ArrayList<>();
        if (atMost < 1 || !collectScannedFiles(batch.logicalPlan(), files) || files.size() > atMost) {
            return Optional.empty();
        }
        List<Row> rows = new ArrayList<>(files.size());
        for (PartitionedFile file : files) {
            Path path = file.toPath();
            try {
                FileStatus status = path.getFileSystem(hadoop).getFileStatus(path);
                rows.add(new GenericRowWithSchema(new Object[] {status.getPath().toString(),
                    new Timestamp(status.getModificationTime()), status.getLen()}, ScoredRows.LISTED_SCHEMA));
            } catch (FileNotFoundException gone) {
                // moved by an earlier run of this batch, or removed: its row exists or is not wanted
            } catch (IOException e) {
                throw new UncheckedIOException("cannot look up " + path, e);
            }
        }
        return Optional.of(rows);
    }

    /** Adds the files of every file scan under the plan's RDDs; false when there is none. */
    private static boolean collectScannedFiles(LogicalPlan plan, List<PartitionedFile> out) {
        Deque<RDD<?>> pending = new ArrayDeque<>();
        for (LogicalPlan leaf : JavaConverters.seqAsJavaList(plan.collectLeaves())) {
            if (leaf instanceof LogicalRDD planned) {
                pending.push(planned.rdd());
            }
        }
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
