package io.digitflow.train;

import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.NativeThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Accuracy, per-class accuracy and confusion matrix (rows: true digit, columns: predicted). */
public record Evaluation(String modelVersion, int examples, double accuracy, double[] perClass, int[][] confusion) {
    static final int BATCH = 500;

    /** The MNIST test set (or any MNIST split) scored by the classifier. */
    public static Evaluation of(DigitClassifier classifier, Mnist.DataSet set) {
        return of(classifier, LabelledImages.of(set));
    }

    /** Scores every image with the classifier: the one scoring path of the test set and of validation during training. */
    public static Evaluation of(DigitClassifier classifier, LabelledImages set) {
        return fromConfusion(classifier.version(), set.size(), confusion(classifier, set, 0, set.size()));
    }

    /**
     * The same on several threads, one classifier each (a classifier is not thread-safe) on its own
     * part of the set and one native thread; the native threads get every core back afterwards.
     * Why: validation runs between training rounds, where nd4j's own threads use two cores poorly
     * on batches this small; the time between the rounds of the default training fell from 65 to
     * 49 s this way (docs/benchmarks.md, training).
     */
    public static Evaluation of(List<DigitClassifier> classifiers, LabelledImages set) {
        int parts = classifiers.size();
        ExecutorService threads = Executors.newFixedThreadPool(parts);
        try {
            List<Future<int[][]>> confusions = new ArrayList<>();
            for (int k = 0; k < parts; k++) {
                DigitClassifier classifier = classifiers.get(k);
                int from = (int) ((long) set.size() * k / parts);
                int to = (int) ((long) set.size() * (k + 1) / parts);
                confusions.add(threads.submit(() -> {
                    NativeThreads.limitTo(1);
                    return confusion(classifier, set, from, to);
                }));
            }
            int[][] total = new int[10][10];
            for (Future<int[][]> part : confusions) {
                int[][] confusion = part.get();
                for (int d = 0; d < 10; d++) {
                    for (int p = 0; p < 10; p++) {
                        total[d][p] += confusion[d][p];
                    }
                }
            }
            return fromConfusion(classifiers.get(0).version(), set.size(), total);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("scoring failed: " + e.getCause(), e.getCause());
        } finally {
            threads.shutdownNow();
            NativeThreads.useAllCores();
        }
    }

    /** The confusion matrix of images [from, to) of the set. */
    private static int[][] confusion(DigitClassifier classifier, LabelledImages set, int from, int to) {
        int[][] confusion = new int[10][10];
        float[] batch = new float[BATCH * DigitClassifier.INPUTS];
        float[] image = new float[DigitClassifier.INPUTS];
        for (int start = from; start < to; start += BATCH) {
            int count = Math.min(BATCH, to - start);
            for (int i = 0; i < count; i++) {
                set.image(start + i, image);
                System.arraycopy(image, 0, batch, i * DigitClassifier.INPUTS, DigitClassifier.INPUTS);
            }
            float[][] probabilities = classifier.probabilities(batch, count);
            for (int i = 0; i < count; i++) {
                confusion[set.label(start + i)][DigitClassifier.argmax(probabilities[i])]++;
            }
        }
        return confusion;
    }

    private static Evaluation fromConfusion(String version, int n, int[][] confusion) {
        int correct = 0;
        double[] perClass = new double[10];
        for (int d = 0; d < 10; d++) {
            int total = 0;
            for (int p = 0; p < 10; p++) {
                total += confusion[d][p];
            }
            correct += confusion[d][d];
            perClass[d] = total == 0 ? 0 : (double) confusion[d][d] / total;
        }
        return new Evaluation(version, n, n == 0 ? 0 : (double) correct / n, perClass, confusion);
    }

    /** {@code evaluate}'s JSON: {@code {"model_version":..,"accuracy":..,"per_class":[..10],"confusion":[[..]]}}. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"model_version\":\"").append(modelVersion.replace("\"", "\\\""))
                .append("\",\"accuracy\":").append(round(accuracy)).append(",\"per_class\":[");
        for (int d = 0; d < 10; d++) {
            b.append(d == 0 ? "" : ",").append(round(perClass[d]));
        }
        b.append("],\"confusion\":[");
        for (int d = 0; d < 10; d++) {
            b.append(d == 0 ? "[" : ",[");
            for (int p = 0; p < 10; p++) {
                b.append(p == 0 ? "" : ",").append(confusion[d][p]);
            }
            b.append(']');
        }
        return b.append("]}").toString();
    }

    private static String round(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
