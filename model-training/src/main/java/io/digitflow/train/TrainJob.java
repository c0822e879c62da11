package io.digitflow.train;

import io.digitflow.config.Cli;
import io.digitflow.config.Locations;
import io.digitflow.config.Settings;
import io.digitflow.config.UsageException;
import io.digitflow.config.Version;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.Architecture;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelMetadata;
import io.digitflow.model.ModelStore;
import java.time.Instant;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a network on MNIST (data-parallel on Spark, or in one JVM with --local), evaluates it on
 * the test set and publishes it as a new model version.
 *
 * <pre>
 * bin/digitflow train [--architecture cnn|seed-cnn|softmax] [--epochs N] [--master URL] [--workers K] [--local] [--quick]
 * spark-submit --class io.digitflow.train.TrainJob ... model-training.jar [same options]
 * </pre>
 */
@Command(name = "digitflow train", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Trains a network on MNIST, evaluates it on the test set and publishes it as a new model version.")
public final class TrainJob implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    @Option(names = "--architecture", paramLabel = "A", defaultValue = "cnn",
            description = "cnn (default), seed-cnn (the original system's CNN) or softmax")
    String architecture;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the training images (default 8; 1 with --quick)")
    Integer epochs;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, local[K] (default local[WORKERS]) or spark://host:port")
    String master;

    @Option(names = "--workers", paramLabel = "K", defaultValue = "2", description = "data-parallel workers = training slices per round (default 2)")
    int workers;

    @Option(names = "--local", description = "train in this JVM without Spark (the baseline)")
    boolean local;

    @Option(names = "--quick", description = "one epoch: a usable model in about 2 minutes")
    boolean quick;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "minibatch size (default 64)")
    int batchSize;

    @Option(names = "--round-examples", paramLabel = "N", defaultValue = "8192",
            description = "examples each worker trains between two averagings (default 8192)")
    int roundExamples;

    @Option(names = "--validation", paramLabel = "N", defaultValue = "5000",
            description = "images held out of the training set for model selection (default 5000)")
    int validationSize;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "train on only N images (tests, experiments)")
    int limit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "random seed (default 42): same seed, same model")
    long seed;

    @Option(names = "--feedback", description = "also train on the uploads people labelled on the page (read from Cassandra)")
    boolean feedback;

    @Option(names = "--feedback-weight", paramLabel = "W", defaultValue = "10",
            description = "how many times each labelled upload is seen per epoch (default 10)")
    int feedbackWeight;

    @Option(names = "--init-from", paramLabel = "VERSION",
            description = "start from this published model (or LATEST) instead of a fresh network: improve it rather than retrain")
    String initFrom;

    @Option(names = "--promote", description = "make the new model LATEST even if it is less accurate than the one in use")
    boolean promote;

    @Option(names = "--no-promote", description = "never make the new model LATEST (promote it later with `models promote`)")
    boolean noPromote;

    @Mixin
    Locations locations;

    public static void main(String[] args) {
        Cli.main(new TrainJob(), args);
    }

    TrainOptions options() {
        Architecture a;
        try {
            a = Architecture.fromCliName(architecture);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        TrainOptions o = new TrainOptions(a, epochs != null ? epochs : quick ? 1 : 8, master != null ? master : "local[" + workers + "]",
                workers, local, quick, batchSize, roundExamples, validationSize, limit, seed);
        if (o.epochs() < 1 || o.workers() < 1 || o.batchSize() < 1 || o.roundExamples() < o.batchSize() || o.validationSize() < 100) {
            throw new UsageException("--epochs, --workers must be ≥ 1, --round-examples ≥ --batch, --validation ≥ 100");
        }
        if (promote && noPromote) {
            throw new UsageException("--promote and --no-promote exclude each other");
        }
        if (feedbackWeight < 1) {
            throw new UsageException("--feedback-weight must be at least 1");
        }
        return o;
    }

    /** Trains with the parsed options; failures are thrown, not turned into an exit status. */
    @Override
    public void run() {
        Settings settings = locations.settings();
        TrainOptions options = options();
        LOG.info("digitflow train\n{}\n{}", settings.describe(), options.describe());
        ModelStore store = new ModelStore(settings.models());
        Mnist mnist = Mnist.under(settings.home());
        TrainingData data = TrainingData.split(mnist.load(Mnist.Split.TRAIN), options.validationSize(), options.limit(), options.seed());
        MultiLayerNetwork start = startingNetwork(store, options);

        Feedback uploads;
        Training.Result result;
        if (options.local()) {
            uploads = feedback ? readFeedbackLocally(settings) : Feedback.NONE;
            result = trainLocally(options, describe(data.withFeedback(uploads, feedbackWeight), uploads), start);
        } else {
            try (JavaSparkContext sc = SparkContexts.open("digitflow-train", options.master(),
                    feedback ? settings.connectorProperties() : Map.of())) {
                uploads = feedback ? FeedbackReader.read(SparkSession.builder().sparkContext(sc.sc()).getOrCreate()) : Feedback.NONE;
                result = trainOnSpark(sc, options, describe(data.withFeedback(uploads, feedbackWeight), uploads), start);
            }
        }

        String version = store.newVersion(options.architecture());
        Mnist.DataSet testSet = mnist.load(Mnist.Split.TEST);
        DigitClassifier trained = DigitClassifier.inferenceOf(version, result.network());
        Evaluation test = Evaluation.of(trained, testSet);
        LabelledImages heldOut = Feedback.images(uploads.test());
        Double uploadsAccuracy = heldOut.size() == 0 ? null : Evaluation.of(trained, heldOut).accuracy();
        String mnistSha = mnist.sha256();
        Map<String, String> data256 = uploads.isEmpty() ? Map.of("mnist", mnistSha) : Map.of("mnist", mnistSha, "uploads", uploads.sha256());
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(options.parameters());
        parameters.put("feedback", feedback);
        parameters.put("feedback_weight", feedbackWeight);
        parameters.put("feedback_examples", uploads.examples().size());
        parameters.put("init_from", initFrom == null ? "" : initFrom);
        ModelMetadata metadata = new ModelMetadata(version, Instant.now().toString(), options.architecture().cliName(),
                options.epochs(), options.local() ? 1 : options.workers(), Math.round(result.seconds() * 10) / 10.0,
                test.accuracy(), result.validationAccuracy(), mnistSha, result.mode(), options.seed(), result.history(),
                parameters, Version.gitCommit(settings.home()), data256, uploadsAccuracy, heldOut.size() == 0 ? null : heldOut.size());
        Promotion promotion = Promotion.decide(store, metadata, testSet, heldOut, promote, noPromote);
        store.publish(result.network(), metadata, promotion.promoted());
        System.out.printf("trained %s in %s: validation %.2f%%, test accuracy %.2f%%%s%npublished model %s to %s%n%s%n",
                options.architecture().cliName(), Training.duration(result.seconds()), 100 * result.validationAccuracy(),
                100 * test.accuracy(), uploadsAccuracy == null ? "" : String.format(", held-out labelled uploads %.2f%% (%d)",
                        100 * uploadsAccuracy, heldOut.size()),
                version, store.root(), promotion.reason());
    }

    /** A fresh network, or the published one --init-from names (its architecture must be the one asked for). */
    private MultiLayerNetwork startingNetwork(ModelStore store, TrainOptions options) {
        if (initFrom == null) {
            return Training.freshNetwork(options);
        }
        ModelStore.LoadedModel from = "LATEST".equals(initFrom) ? store.loadLatest() : store.load(initFrom);
        if (!from.metadata().architecture().equals(options.architecture().cliName())) {
            throw new UsageException("--init-from " + from.version() + " is a " + from.metadata().architecture()
                    + " network: train it with --architecture " + from.metadata().architecture());
        }
        LOG.info("starting from model {} ({} on the MNIST test set)", from.version(),
                String.format("%.2f%%", 100 * from.metadata().testAccuracy()));
        return from.network();
    }

    private static TrainingData describe(TrainingData data, Feedback uploads) {
        LOG.info(String.format("training on %,d images, validating on %,d%s", data.trainSize(), data.validationIndices().length,
                uploads.isEmpty() ? "" : String.format("; labelled uploads: %,d (%,d to train on, %,d for selection, %,d held out)",
                        uploads.examples().size(), uploads.train().size(), uploads.selection().size(), uploads.test().size())));
        return data;
    }

    /** With --local there is no Spark for training; the connector still reads the labels on a small local one. */
    private static Feedback readFeedbackLocally(Settings settings) {
        try (JavaSparkContext sc = SparkContexts.open("digitflow-feedback", "local[1]", settings.connectorProperties())) {
            return FeedbackReader.read(SparkSession.builder().sparkContext(sc.sc()).getOrCreate());
        }
    }

    private static Training.Result trainLocally(TrainOptions options, TrainingData data, MultiLayerNetwork start) {
        try (RoundRunner runner = new LocalRoundRunner(data, options.batchSize(), options.architecture().augmentedTraining())) {
            LOG.info("runner: {}", runner.describe());
            return Training.run(options, data, runner, start, LOG::info);
        }
    }

    private static Training.Result trainOnSpark(JavaSparkContext sc, TrainOptions options, TrainingData data, MultiLayerNetwork start) {
        try (RoundRunner runner = new SparkRoundRunner(sc, options.workers(), data, start.getLayerWiseConfigurations(),
                options.batchSize(), options.architecture().augmentedTraining())) {
            LOG.info("runner: {}", runner.describe());
            return Training.run(options, data, runner, start, LOG::info);
        }
    }
}
