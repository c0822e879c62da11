package io.digitflow.bench;

import io.digitflow.config.Settings;
import io.digitflow.pipeline.spark.PipelineSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.InMemoryFileIndex;
import org.apache.spark.sql.execution.datasources.NoopCache$;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * What finding a micro-batch's files costs the stream's driver, per file, apart from scoring: the
 * inbox listed by the pipeline's file system ({@code listStatus} of the folder), each file listed
 * again by its own path (what Spark's file source does for every file of a batch), and Spark's file
 * index over those paths (the re-listing plus Spark's own bookkeeping).
 *
 * <pre>ListingBenchmark DIR FILES ROUNDS</pre> prints {@code listing step=S files=N micros_per_file=M}
 * per round and step; DIR gets FILES small files (made once).
 */
public final class ListingBenchmark {
    private ListingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int count = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Files.createDirectories(dir);
        List<org.apache.hadoop.fs.Path> files = new ArrayList<>();
        byte[] content = new byte[300];
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve(String.format("digit-%06d.png", i));
            if (!Files.exists(file)) {
                Files.write(file, content);
            }
            files.add(new org.apache.hadoop.fs.Path(file.toUri()));
        }
        SparkSession spark = PipelineSpark.open("listing-benchmark", "local[2]", Settings.fromEnvironment());
        FileSystem fs = files.get(0).getFileSystem(spark.sparkContext().hadoopConfiguration());
        var options = JavaConverters.mapAsScalaMapConverter(java.util.Map.of("recursiveFileLookup", "true")).asScala()
                .toMap(scala.Predef.$conforms());
        for (int r = 0; r < rounds; r++) {
            time("folder", count, () -> fs.listStatus(new org.apache.hadoop.fs.Path(dir.toUri())));
            time("each-file", count, () -> {
                for (org.apache.hadoop.fs.Path f : files) {
                    fs.listStatus(f);
                }
            });
            time("spark-index", count, () -> new InMemoryFileIndex(spark, JavaConverters.asScalaBuffer(files).toSeq(), options,
                    Option.empty(), NoopCache$.MODULE$, Option.empty(), Option.empty()).allFiles());
        }
        spark.stop();
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void time(String step, int files, Step body) throws Exception {
        long start = System.nanoTime();
        body.run();
        double micros = (System.nanoTime() - start) / 1e3;
        System.out.printf("listing step=%s files=%d micros_per_file=%.1f%n", step, files, micros / files);
    }
}
