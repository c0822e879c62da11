package io.digitflow.train;

import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;

/** Accuracy, per-class accuracy and confusion matrix (rows: true digit, columns: predicted). */
public record Evaluation(String modelVersion, int examples, double accuracy, double[] perClass, int[][] confusion) {
    static final int BATCH = 500;

    /** The MNIST test set (or any MNIST split) scored by the classifier. */
    public static Evaluation of(DigitClassifier classifier, Mnist.DataSet set) {
        return of(classifier, LabelledImages.of(set));
    }

    /** Scores every image with the classifier: the one scoring path of the test set and of validation during training. */
    public static Evaluation of(DigitClassifier classifier, LabelledImages set) {
        int[][] confusion = new int[10][10];
        int n = set.size();
        float[] batch = new float[BATCH * DigitClassifier.INPUTS];
        float[] image = new float[DigitClassifier.INPUTS];
        for (int start = 0; start < n; start += BATCH) {
            int count = Math.min(BATCH, n - start);
            for (int i = 0; i < count; i++) {
                set.image(start + i, image);
                System.arraycopy(image, 0, batch, i * DigitClassifier.INPUTS, DigitClassifier.INPUTS);
            }
            float[][] probabilities = classifier.probabilities(batch, count);
            for (int i = 0; i < count; i++) {
                confusion[set.label(start + i)][DigitClassifier.argmax(probabilities[i])]++;
            }
        }
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
        return new Evaluation(classifier.version(), n, n == 0 ? 0 : (double) correct / n, perClass, confusion);
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
