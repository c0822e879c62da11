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

    @Option(names = "--quick", description = "one epoch: a usable model in about 3 minutes")
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
        return o;
    }

    /** Trains with the parsed options; failures are thrown, not turned into an exit status. */
    @Override
    public void run() {
        Settings settings = locations.settings();
        TrainOptions options = options();
        LOG.info("digitflow train\n{}\n{}", settings.describe(), options.describe());

        Mnist mnist = Mnist.under(settings.home());
        TrainingData data = TrainingData.split(mnist.load(Mnist.Split.TRAIN), options.validationSize(), options.limit(), options.seed());
        LOG.info(String.format("training on %,d images, validating on %,d", data.trainSize(), data.validationIndices().length));

        Training.Result result = options.local() ? trainLocally(options, data) : trainOnSpark(options, data);

        ModelStore store = new ModelStore(settings.models());
        String version = store.newVersion(options.architecture());
        Mnist.DataSet testSet = mnist.load(Mnist.Split.TEST);
        Evaluation test = Evaluation.of(new DigitClassifier(version, result.network()), testSet);
        String mnistSha = mnist.sha256();
        ModelMetadata metadata = new ModelMetadata(version, Instant.now().toString(), options.architecture().cliName(),
                options.epochs(), options.local() ? 1 : options.workers(), Math.round(result.seconds() * 10) / 10.0,
                test.accuracy(), result.validationAccuracy(), mnistSha, result.mode(),
                options.seed(), result.history(), options.parameters(), Version.gitCommit(settings.home()), Map.of("mnist", mnistSha));
        Promotion promotion = Promotion.decide(store, metadata, testSet, promote, noPromote);
        store.publish(result.network(), metadata, promotion.promoted());
        System.out.printf("trained %s in %s: validation %.2f%%, test accuracy %.2f%%%npublished model %s to %s%n%s%n",
                options.architecture().cliName(), Training.duration(result.seconds()), 100 * result.validationAccuracy(),
                100 * test.accuracy(), version, store.root(), promotion.reason());
    }

    private static Training.Result trainLocally(TrainOptions options, TrainingData data) {
        try (RoundRunner runner = new LocalRoundRunner(data, options.batchSize(), options.architecture().augmentedTraining())) {
            LOG.info("runner: {}", runner.describe());
            return Training.run(options, data, runner, LOG::info);
        }
    }

    private static Training.Result trainOnSpark(TrainOptions options, TrainingData data) {
        try (JavaSparkContext sc = SparkContexts.open("digitflow-train", options.master());
                RoundRunner runner = new SparkRoundRunner(sc, options.workers(), data,
                        options.architecture().configuration(options.seed()), options.batchSize(),
                        options.architecture().augmentedTraining())) {
            LOG.info("runner: {}", runner.describe());
            return Training.run(options, data, runner, LOG::info);
        }
    }
}
