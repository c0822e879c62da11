package io.digitflow.train;

import io.digitflow.config.Cli;
import io.digitflow.config.Settings;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The data-parallel speed-up: the same training (architecture, epochs, seed, data) once in a single
 * JVM ({@code --local}) and once on Spark {@code local[K]} with K workers, in one JVM and
 * interleaved round by round, so both see the same noise of a shared machine. Compares the
 * training time (validation passes excluded, they are the same work for both) and the test accuracy.
 *
 * <pre>bench/training.sh speedup [EPOCHS] [WORKERS]</pre>
 */
public final class SpeedupBenchmark {
    private SpeedupBenchmark() {
    }

    public static void main(String[] args) {
        String epochs = args.length > 0 ? args[0] : "1";
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        TrainOptions single = options("--architecture", "cnn", "--epochs", epochs, "--local");
        TrainOptions parallel = options("--architecture", "cnn", "--epochs", epochs, "--workers", Integer.toString(workers));
        Mnist mnist = Mnist.under(Settings.fromEnvironment().home());
        TrainingData data = TrainingData.split(mnist.load(Mnist.Split.TRAIN), single.validationSize(), single.limit(), single.seed());
        System.out.printf("cnn, %s epoch(s) on %,d images: single JVM vs Spark %s, interleaved round by round%n",
                epochs, data.trainSize(), parallel.master());

        try (JavaSparkContext sc = SparkContexts.open("digitflow-speedup", parallel.master(), java.util.Map.of());
                RoundRunner singleRunner = new LocalRoundRunner(data, single.batchSize(), true);
                RoundRunner sparkRunner = new SparkRoundRunner(sc, workers, data,
                        parallel.architecture().configuration(parallel.seed(), parallel.epochs()), parallel.batchSize(), true)) {
            Contender a = new Contender("single JVM", new Training(single, data, singleRunner));
            Contender b = new Contender(parallel.master(), new Training(parallel, data, sparkRunner));
            while (a.training.hasNextRound() || b.training.hasNextRound()) {
                boolean aNext = a.training.hasNextRound() && (!b.training.hasNextRound() || a.training.progress() <= b.training.progress());
                (aNext ? a : b).round();
            }
            Mnist.DataSet test = mnist.load(Mnist.Split.TEST);
            double accuracyA = a.testAccuracy(test);
            double accuracyB = b.testAccuracy(test);
            double examples = (double) data.trainSize() * Integer.parseInt(epochs);
            System.out.printf("%-12s training %6.1f s  %,5.0f examples/s  test accuracy %.2f%%%n",
                    a.name, a.seconds, examples / a.seconds, 100 * accuracyA);
            System.out.printf("%-12s training %6.1f s  %,5.0f examples/s  test accuracy %.2f%%%n",
                    b.name, b.seconds, examples / b.seconds, 100 * accuracyB);
            System.out.printf("speed-up %.2fx (median of per-round ratios %.2fx), accuracy difference %+.2f points%n",
                    a.seconds / b.seconds, medianRatio(a, b), 100 * (accuracyB - accuracyA));
        }
    }

    private static TrainOptions options(String... args) {
        return Cli.parse(new TrainJob(), args).options();
    }

    /** Per-example time of A over B, round by round (the rounds differ in size: K slices per Spark round). */
    private static double medianRatio(Contender a, Contender b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.secondsPerExample.size(), b.secondsPerExample.size()); i++) {
            ratios.add(a.secondsPerExample.get(i) / b.secondsPerExample.get(i));
        }
        ratios.sort(null);
        return ratios.get(ratios.size() / 2);
    }

    private static final class Contender {
        final String name;
        final Training training;
        final List<Double> secondsPerExample = new ArrayList<>();
        double seconds;

        Contender(String name, Training training) {
            this.name = name;
            this.training = training;
        }

        void round() {
            Training.RoundReport report = training.nextRound();
            seconds += report.trainSeconds();
            secondsPerExample.add(report.trainSeconds() / report.examples());
            System.out.printf("[%-10s] %s%n", name, report.line());
        }

        double testAccuracy(Mnist.DataSet test) {
            return Evaluation.of(DigitClassifier.inferenceOf(name, training.finish().network()), test).accuracy();
        }
    }
}
