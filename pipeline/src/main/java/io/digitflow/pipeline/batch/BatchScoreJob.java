package io.digitflow.pipeline.batch;

import static io.digitflow.results.PredictionTable.*;

import io.digitflow.config.Cli;
import io.digitflow.config.Locations;
import io.digitflow.config.Settings;
import io.digitflow.config.UsageException;
import io.digitflow.config.Version;
import io.digitflow.pipeline.scoring.ModelBundle;
import io.digitflow.pipeline.scoring.ScorePartition;
import io.digitflow.pipeline.scoring.ScoredRows;
import io.digitflow.pipeline.scoring.ScoringSession;
import io.digitflow.pipeline.scoring.ScoringStep;
import io.digitflow.results.Prediction.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch-scores every file under a folder (recursively) with the same scoring step as the stream,
 * writes every result to Cassandra ({@code source=batch}) and optionally a CSV report. Rejected
 * files are reported, not fatal: the exit status is non-zero only when the job itself failed.
 */
@Command(name = "digitflow score", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Scores every file under DIR (recursively) into Cassandra.")
public final class BatchScoreJob implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScoreJob.class);
    /** Between two progress lines; running tasks report their counts more often (PipelineSpark's heartbeat). */
    private static final long PROGRESS_SECONDS = 5;
    @Parameters(paramLabel = "DIR", description = "the folder to score")
    String folder;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "also write file,predicted,confidence,model_version,status (file relative to DIR; status ok or rejected:<reason>)")
    String csv;

    @Option(names = "--model", paramLabel = "VERSION", description = "the model version (default: the one LATEST names)")
    String model;

    @Option(names = "--max-file-mb", paramLabel = "N", defaultValue = "${env:DIGITFLOW_MAX_UPLOAD_MB:-10}",
            description = "larger files are refused unread (default: the page's upload limit, DIGITFLOW_MAX_UPLOAD_MB, 10)")
    int maxFileMb;

    @Mixin
    Locations locations;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]", description = "Spark master (default local[2])")
    String master;

    public static void main(String[] args) {
        Cli.main(new BatchScoreJob(), args);
    }

    @Override
    public void run() {
        Settings settings = locations.settings();
        Path given = settings.home().resolve(folder).toAbsolutePath().normalize();
        if (!Files.isDirectory(given) || maxFileMb < 1) {
            throw new UsageException(Files.isDirectory(given) ? "--max-file-mb must be at least 1" : given + " is not a folder");
        }
        Path dir = realPath(given); // so that no folder between it and a file is a link
        Optional<Path> report = Optional.ofNullable(csv).map(c -> settings.home().resolve(c).toAbsolutePath().normalize());
        long files = countFiles(dir);
        LOG.info("digitflow score\n{}\n  folder      {} ({} files){}", settings.describe(), dir, files,
                report.map(c -> "\n  csv         " + c).orElse(""));
        if (files == 0) {
            report.ifPresent(c -> CsvReport.write(c, List.of()));
            LOG.info("nothing to score");
            return;
        }
        ScoringSession scoring = ScoringSession.start("digitflow-score", master, settings, Optional.ofNullable(model), false);
        try {
            score(scoring, new ScorePartition.Inputs(dir, Source.batch, maxFileMb * (1L << 20)), files, report);
        } finally {
            scoring.spark().stop();
        }
    }

    /** One Spark job: the tasks score and store, and hand back only what the report needs. */
    private static void score(ScoringSession scoring, ScorePartition.Inputs inputs, long files, Optional<Path> report) {
        SparkSession spark = scoring.spark();
        Broadcast<ModelBundle> model = scoring.models().current(); // resolved once for the whole run
        LongAccumulator done = spark.sparkContext().longAccumulator("scored");
        DoubleAccumulator waited = spark.sparkContext().doubleAccumulator("waited on Cassandra");
        ScoredSoFar soFar = new ScoredSoFar(done);
        spark.sparkContext().addSparkListener(soFar);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        progress.scheduleAtFixedRate(() -> LOG.info(progressLine(soFar.value(), files, (System.nanoTime() - start) / 1e9)),
                PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
        try {
            ScorePartition scorer = new ScorePartition(model, scoring.cassandra(), inputs, done, waited);
            Dataset<Row> listed = spark.read()
                    .format("binaryFile")
                    .option("recursiveFileLookup", "true")
                    .load(inputs.root())
                    .select(ScoredRows.LISTED[0], ScoredRows.LISTED[1], ScoredRows.LISTED[2]);
            List<Row> scored = new ArrayList<>(ScoringStep.score(spark, listed, scorer, 0).rows());
            scored.addAll(HiddenFiles.refuse(Path.of(inputs.root()), scorer));
            double seconds = (System.nanoTime() - start) / 1e9;
            scoring.warmUp().join();
            List<Row> rows = new ArrayList<>(scored.stream().map(BatchScoreJob::reportRow).toList());
            // Sorted here, not by Spark: a sort in the plan would run the scoring job twice (sampling).
            rows.sort(Comparator.comparing(r -> r.getString(0)));
            long rejected = rows.stream().filter(r -> !"ok".equals(r.getString(4))).count();
            report.ifPresent(c -> CsvReport.write(c, rows));
            System.out.printf("scored %,d files in %.1f s (%,.0f files/s) with model %s: %,d ok, %,d rejected; "
                            + "written to Cassandra%s (tasks waited %.1f s on Cassandra writes)%n",
                    rows.size(), seconds, rows.size() / seconds, model.value().version(), rows.size() - rejected, rejected,
                    report.map(c -> " and " + c).orElse(""), waited.value());
        } finally {
            progress.shutdownNow();
            spark.sparkContext().removeSparkListener(soFar);
        }
    }

    /** "scored 4,200 of 10,000 files (42%), 840 files/s, about 7 s left". */
    static String progressLine(long done, long total, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 ? String.format(", about %.0f s left", (total - done) / rate) : "";
        return String.format("scored %,d of %,d files (%.0f%%), %,.0f files/s%s", done, total, 100.0 * done / total, rate, eta);
    }

    /** (image_name, predicted, confidence, model_version, status, reason): what the report shows of a scored row. */
    private static Row reportRow(Row scored) {
        return RowFactory.create(scored.getAs(IMAGE_NAME), scored.getAs(PREDICTED), scored.getAs(CONFIDENCE),
                scored.getAs(MODEL_VERSION), scored.getAs(STATUS), scored.getAs(REASON));
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
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
