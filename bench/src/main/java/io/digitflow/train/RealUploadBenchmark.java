package io.digitflow.train;

import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelStore;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.testkit.DigitImages;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * How well a model recognises MNIST test digits delivered the way people deliver them: canvas
 * drawings (RGBA, transparent background) and dark-on-light noisy JPEG photos, through the real
 * preprocessing. The same digits as clean MNIST input are the baseline, measured in the same run.
 *
 * <pre>bench/real-uploads.sh [MODELS_DIR] [N]</pre>
 */
public final class RealUploadBenchmark {
    private RealUploadBenchmark() {
    }

    public static void main(String[] args) {
        Path models = Path.of(args.length > 0 ? args[0] : "models");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        ModelStore.LoadedModel model = new ModelStore(models).loadLatest();
        DigitClassifier classifier = model.classifier();
        Mnist.DataSet test = DigitImages.mnistTest();
        System.out.printf("model %s, first %d MNIST test digits%n", model.version(), n);
        double clean = accuracy(classifier, test, n, i -> DigitImages.encode(DigitImages.mnistGrey(test.image(i)), "png"));
        report("clean MNIST PNG (baseline)", clean, clean);
        report("canvas drawing, RGBA 280x280", accuracy(classifier, test, n,
                i -> DigitImages.encode(DigitImages.canvasDrawing(test.image(i), 280), "png")), clean);
        report("photo: dark ink, noisy paper, 400x400 JPEG", accuracy(classifier, test, n,
                i -> DigitImages.jpeg(DigitImages.paperPhoto(test.image(i), 400, i), 0.75f)), clean);
    }

    private static double accuracy(DigitClassifier classifier, Mnist.DataSet test, int n, IntFunction<byte[]> render) {
        int correct = 0;
        for (int i = 0; i < n; i++) {
            PreprocessResult r = Preprocessor.preprocess(render.apply(i));
            if (r.isOk() && DigitClassifier.argmax(classifier.probabilities(r.pixels(), 1)[0]) == test.label(i)) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    private static void report(String kind, double accuracy, double baseline) {
        System.out.printf("%-45s %6.2f%%  (%.3f of the clean baseline)%n", kind, 100 * accuracy, accuracy / baseline);
    }
}
