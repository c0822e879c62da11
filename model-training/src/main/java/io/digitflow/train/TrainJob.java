package io.digitflow.train;

import io.digitflow.config.CommandRunner;
import io.digitflow.config.Flags;
import io.digitflow.config.Settings;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelMetadata;
import io.digitflow.model.ModelStore;
import java.time.Instant;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trains a network on MNIST (data-parallel on Spark, or in one JVM with --local), evaluates it on
 * the test set and publishes it as a new model version.
 *
 * <pre>
 * bin/digitflow train [--architecture cnn|seed-cnn|softmax] [--epochs N] [--master URL] [--workers K] [--local] [--quick]
 * spark-submit --class io.digitflow.train.TrainJob ... model-training.jar [same options]
 * </pre>
 */
public final class TrainJob {
    static final String USAGE = """
            usage: bin/digitflow train [options]

              --architecture A   cnn (default), seed-cnn (the original system's CNN) or softmax
              --epochs N         passes over the training images (default 8; 1 with --quick)
              --master URL       Spark master, local[K] (default local[WORKERS]) or spark://host:port
              --workers K        data-parallel workers = training slices per round (default 2)
              --local            train in this JVM without Spark (the baseline)
              --quick            one epoch: a usable model in about 3 minutes
              --batch N          minibatch size (default 64)
              --round-examples N examples each worker trains between two averagings (default 8192)
              --validation N     images held out of the training set for model selection (default 5000)
              --limit N          train on only N images (tests, experiments)
              --seed N           random seed (default 42): same seed, same model
              --models DIR       model store (DIGITFLOW_MODELS, default models)""";

    private TrainJob() {
    }

    public static void main(String[] args) {
        CommandRunner.run(args, USAGE, TrainOptions.VALUED, TrainOptions.SWITCHES, TrainJob::train);
    }

    /** Trains with the given command-line options; failures are thrown, not turned into an exit status. */
    public static void run(String... args) {
        train(Flags.parse(args, TrainOptions.VALUED, TrainOptions.SWITCHES));
    }

    static void train(Flags flags) {
        Settings settings = Settings.resolve(flags);
        TrainOptions options = TrainOptions.from(flags);
        System.err.println("digitflow train\n" + settings.describe() + "\n" + options.describe());

        Mnist mnist = Mnist.under(settings.home());
        TrainingData data = TrainingData.split(mnist.load(Mnist.Split.TRAIN), options.validationSize(), options.limit(), options.seed());
        System.err.printf("training on %,d images, validating on %,d%n", data.trainSize(), data.validationIndices().length);

        Training.Result result = options.local() ? trainLocally(options, data) : trainOnSpark(options, data);

        ModelStore store = new ModelStore(settings.models());
        String version = store.newVersion(options.architecture());
        Evaluation test = Evaluation.of(new DigitClassifier(version, result.network()), mnist.load(Mnist.Split.TEST));
        ModelMetadata metadata = new ModelMetadata(version, Instant.now().toString(), options.architecture().cliName(),
                options.epochs(), options.local() ? 1 : options.workers(), Math.round(result.seconds() * 10) / 10.0,
                test.accuracy(), result.validationAccuracy(), mnist.sha256(), result.mode(),
                options.seed(), result.history());
        store.publish(result.network(), metadata);
        System.out.printf("trained %s in %s: validation %.2f%%, test accuracy %.2f%%%npublished model %s to %s (LATEST)%n",
                options.architecture().cliName(), Training.duration(result.seconds()), 100 * result.validationAccuracy(),
                100 * test.accuracy(), version, store.root());
    }

    private static Training.Result trainLocally(TrainOptions options, TrainingData data) {
        try (RoundRunner runner = new LocalRoundRunner(data, options.batchSize(), options.architecture().augmentedTraining())) {
            System.err.println("runner: " + runner.describe());
            return Training.run(options, data, runner, System.err);
        }
    }

    private static Training.Result trainOnSpark(TrainOptions options, TrainingData data) {
        try (JavaSparkContext sc = SparkContexts.open("digitflow-train", options.master());
                RoundRunner runner = new SparkRoundRunner(sc, options.workers(), data,
                        options.architecture().configuration(options.seed()), options.batchSize(),
                        options.architecture().augmentedTraining())) {
            System.err.println("runner: " + runner.describe());
            return Training.run(options, data, runner, System.err);
        }
    }
}
