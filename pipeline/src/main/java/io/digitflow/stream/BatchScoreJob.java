package io.digitflow.stream;

import static io.digitflow.store.PredictionTable.*;

import com.datastax.spark.connector.cql.CassandraConnector;
import io.digitflow.config.CommandRunner;
import io.digitflow.config.Flags;
import io.digitflow.config.Settings;
import io.digitflow.config.UsageException;
import io.digitflow.model.ModelStore;
import io.digitflow.store.CassandraSessions;
import io.digitflow.store.Prediction.Source;
import io.digitflow.store.SchemaInstaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Batch-scores every file under a folder (recursively) with the same scoring step as the stream,
 * writes every result to Cassandra ({@code source=batch}) and optionally a CSV report. Rejected
 * files are reported, not fatal: the exit status is non-zero only when the job itself failed.
 *
 * <pre>bin/digitflow score DIR [--csv FILE] [--model VERSION]</pre>
 */
public final class BatchScoreJob {
    static final String USAGE = """
            usage: bin/digitflow score DIR [--csv FILE] [--model VERSION] [--models DIR] [--master URL]

            Scores every file under DIR (recursively) into Cassandra; --csv also writes
            file,predicted,confidence,model_version,status (file relative to DIR; status ok or rejected:<reason>).""";

    private BatchScoreJob() {
    }

    public static void main(String[] args) {
        CommandRunner.run(args, USAGE, Set.of("csv", "model", "models", "master"), Set.of(), BatchScoreJob::score);
    }

    static void score(Flags flags) {
        if (flags.positional().size() != 1) {
            throw new UsageException("name exactly one folder to score");
        }
        Settings settings = Settings.resolve(flags);
        Path dir = settings.home().resolve(flags.positional().get(0)).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new UsageException(dir + " is not a folder");
        }
        Optional<Path> csv = flags.value("csv").map(c -> settings.home().resolve(c).toAbsolutePath().normalize());
        long files = countFiles(dir);
        System.err.println("digitflow score\n" + settings.describe() + "\n  folder      " + dir + " (" + files + " files)"
                + csv.map(c -> "\n  csv         " + c).orElse(""));
        if (files == 0) {
            csv.ifPresent(c -> CsvReport.write(c, List.of()));
            System.err.println("nothing to score");
            return;
        }
        try (var session = CassandraSessions.open(settings)) {
            SchemaInstaller.install(session, settings.replication());
        }
        SparkSession spark = PipelineSpark.open("digitflow-score", flags.value("master").orElse("local[2]"), settings);
        System.err.println(PipelineSpark.describe(spark));
        ModelWatcher model = new ModelWatcher(spark, new ModelStore(settings.models()), flags.value("model"));
        System.err.println("  model       " + model.current().value().version());
        CassandraConnector cassandra = ConnectorSessions.of(spark);
        // The executors ready themselves (network, decoders, session) while the driver lists the
        // folder and plans the job on one core: the first tasks then score at full speed.
        CompletableFuture<Void> warmUp = CompletableFuture.runAsync(() -> ExecutorWarmUp.run(spark, model.current(), cassandra));

        LongAccumulator done = spark.sparkContext().longAccumulator("scored");
        DoubleAccumulator waited = spark.sparkContext().doubleAccumulator("waited on Cassandra");
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        progress.scheduleAtFixedRate(() -> System.err.printf("  scored %,d of %,d files (%.0f%%)%n",
                done.value(), files, 100.0 * done.value() / files), 5, 5, TimeUnit.SECONDS);
        try {
            // One Spark job: the tasks score and store, and hand back only what the report needs.
            List<Row> report = new ArrayList<>(spark.read()
                    .format("binaryFile")
                    .option("recursiveFileLookup", "true")
                    .load(dir.toString())
                    .mapPartitions(new ScorePartition(model.current(), cassandra, dir, Source.batch, done, waited),
                            Encoders.row(ScoredRows.SCHEMA))
                    .select(IMAGE_NAME, PREDICTED, CONFIDENCE, MODEL_VERSION, STATUS, REASON)
                    .collectAsList());
            double seconds = (System.nanoTime() - start) / 1e9;
            warmUp.join();
            // Sorted here, not by Spark: a sort in the plan would run the scoring job twice (sampling).
            report.sort(Comparator.comparing(r -> r.getString(0)));
            long rejected = report.stream().filter(r -> !"ok".equals(r.getString(4))).count();
            csv.ifPresent(c -> CsvReport.write(c, report));
            System.out.printf("scored %,d files in %.1f s (%,.0f files/s): %,d ok, %,d rejected; written to Cassandra%s"
                            + " (tasks waited %.1f s on Cassandra writes)%n",
                    report.size(), seconds, report.size() / seconds, report.size() - rejected, rejected,
                    csv.map(c -> " and " + c).orElse(""), waited.value());
        } finally {
            progress.shutdownNow();
            spark.stop();
        }
    }

    private static long countFiles(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
