package io.digitflow.pipeline.batch;

import io.digitflow.pipeline.scoring.FileRefusal;
import io.digitflow.pipeline.scoring.ScorePartition;
import io.digitflow.pipeline.scoring.ScoredRows;
import io.digitflow.pipeline.spark.PipelineSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;

/**
 * The files of a scored folder that Spark never lists (a name, or a folder on the way, starting
 * with '_' or '.'): each gets its rejected row ({@code hidden_name}) and its line in the report,
 * so that {@code score} accounts for every file under the folder.
 */
final class HiddenFiles {
    private HiddenFiles() {
    }

    static List<Row> refuse(Path root, ScorePartition scorer) {
        List<Row> rows = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                private int hiddenDepth;

                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                    if (!dir.equals(root) && (hiddenDepth > 0 || PipelineSpark.hidesName(dir.getFileName().toString()))) {
                        hiddenDepth++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (hiddenDepth > 0) {
                        hiddenDepth--;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (hiddenDepth > 0 || PipelineSpark.hidesName(file.getFileName().toString())) {
                        // As the binaryFile source lists a path: a Hadoop path string, not an escaped URI.
                        Row listed = new GenericRowWithSchema(new Object[] {"file:" + file,
                            new Timestamp(a.lastModifiedTime().toMillis()), a.size()}, ScoredRows.LISTED_SCHEMA);
                        rows.add(scorer.refuse(listed, FileRefusal.HIDDEN_NAME, "Spark never reads names starting with '_' or '.'"));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
        return rows;
    }
}
