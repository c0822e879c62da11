package io.digitflow.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.ModelStore;
import io.digitflow.results.Prediction;
import io.digitflow.results.PredictionStore;
import io.digitflow.testkit.DigitImages;
import io.digitflow.testkit.TestCassandra;
import io.digitflow.testkit.TestModels;
import io.digitflow.train.Evaluation;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both notebooks executed headless in the real Java kernel, on data this test makes: a model the
 * real training job trained, and prediction rows in the suite's real Cassandra node. Each figure
 * the notebooks print is checked against that data.
 */
class NotebooksIT {
    /** Days no other test writes to: the analytics notebook is pointed at them with DIGITFLOW_FROM/TO. */
    static final LocalDate FIRST_DAY = LocalDate.of(2001, 3, 1);
    static final LocalDate LAST_DAY = FIRST_DAY.plusDays(2);

    @Test
    void modelReportShowsTheTrainingCurveConfusionMatrixAndConfusedDigits(@TempDir Path out) throws Exception {
        ModelStore store = TestModels.softmax();
        ModelStore.LoadedModel model = store.loadLatest();
        Evaluation expected = Evaluation.of(model.classifier(), DigitImages.mnistTest());
        List<ConfusedPairs.Pair> worst = ConfusedPairs.top(expected.confusion(), 5);

        ExecutedNotebook report = HeadlessJupyter.execute("model-report.ipynb",
                Map.of("DIGITFLOW_MODELS", store.root().toString(), "DIGITFLOW_MNIST", Mnist.under(io.digitflow.testkit.TestHome.root()).dir().toString()),
                out);

        assertEquals(List.of(), report.errors());
        assertTrue(report.printed().contains("model        " + model.version() + ": softmax"), report.printed());
        assertEquals(List.of("training history: " + model.metadata().history().size() + " rounds"),
                report.printedLines("training history:"));
        assertEquals(List.of(String.format("test accuracy %.4f on 10000 images", expected.accuracy())),
                report.printedLines("test accuracy"));
        assertEquals(worst.stream().map(p -> String.format("confused: %d taken for %d, %d test images",
                        p.actual(), p.predicted(), p.count())).toList(),
                report.printedLines("confused:"));
        // The training curve, the confusion matrix and one strip of digits per confused pair.
        assertEquals(2 + worst.size(), report.pngImages());
    }

    @Test
    void predictionsAnalyticsCountsTheRowsInCassandra(@TempDir Path out) throws Exception {
        List<Prediction> rows = predictionsOverThreeDays();
        try (CqlSession session = TestCassandra.openSession()) {
            PredictionStore store = new PredictionStore(session);
            rows.forEach(store::save);
            // A row the day after the range: the notebook must leave it out.
            store.save(ok(99, LAST_DAY.plusDays(1), 5, 0.99f));
            // Corrections: two confirm the model's answer, two say another digit; the one outside the range is left out.
            store.label(imageId(0), rows.get(0).predicted(), "page");
            store.label(imageId(5), rows.get(5).predicted(), "api");
            store.label(imageId(6), (rows.get(6).predicted() + 1) % 10, "page");
            store.label(imageId(12), (rows.get(12).predicted() + 4) % 10, "page");
            store.label(imageId(99), 0, "page");
        }

        ExecutedNotebook analytics = HeadlessJupyter.execute("predictions-analytics.ipynb",
                Map.of("DIGITFLOW_CASSANDRA", TestCassandra.settings().cassandraSpec(),
                        "DIGITFLOW_FROM", FIRST_DAY.toString(), "DIGITFLOW_TO", LAST_DAY.toString()),
                out);

        assertEquals(List.of(), analytics.errors());
        List<Prediction> ok = rows.stream().filter(p -> p.status() == Prediction.Status.ok).toList();
        assertEquals(List.of(String.format("predictions: %d images, %d ok, %d rejected", rows.size(), ok.size(), rows.size() - ok.size())),
                analytics.printedLines("predictions:"));

        Map<Integer, Long> perDigit = new TreeMap<>(ok.stream().collect(Collectors.groupingBy(Prediction::predicted, Collectors.counting())));
        assertEquals(perDigit.entrySet().stream().map(e -> "digit " + e.getKey() + ": " + e.getValue() + " images").toList(),
                analytics.printedLines("digit "));

        long[] buckets = new long[10];
        ok.forEach(p -> buckets[Math.min((int) Math.floor(p.confidence() * 10), 9)]++);
        List<String> expectedBuckets = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            expectedBuckets.add(String.format("confidence %.1f-%.1f: %d images", b / 10.0, (b + 1) / 10.0, buckets[b]));
        }
        assertEquals(expectedBuckets, analytics.printedLines("confidence "));

        Map<String, Long> reasons = rows.stream().filter(p -> p.status() == Prediction.Status.rejected)
                .collect(Collectors.groupingBy(Prediction::reason, TreeMap::new, Collectors.counting()));
        List<String> expectedReasons = reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> "rejected " + e.getKey() + ": " + e.getValue() + " images").toList();
        assertEquals(expectedReasons, analytics.printedLines("rejected "));
        assertEquals(List.of("labelled notebooks-it: 2 of 4 agree (50.0%)"), analytics.printedLines("labelled "));
        // Digits per day, the confidence histogram, the rejected reasons.
        assertEquals(3, analytics.pngImages());
    }

    /** Several digits over three days, confidences across the range, and rejects for three reasons. */
    private static List<Prediction> predictionsOverThreeDays() {
        List<Prediction> rows = new ArrayList<>();
        int n = 0;
        int[][] digitsPerDay = {{1, 1, 1, 7, 7}, {1, 3, 3, 3, 3}, {7, 7, 0}};
        float[] confidences = {0.99f, 0.95f, 0.42f, 0.87f, 0.63f, 0.999f, 0.31f, 1.0f, 0.91f, 0.55f, 0.97f, 0.78f, 0.12f};
        for (int day = 0; day < digitsPerDay.length; day++) {
            for (int digit : digitsPerDay[day]) {
                rows.add(ok(n, FIRST_DAY.plusDays(day), digit, confidences[n % confidences.length]));
                n++;
            }
        }
        String[] reasons = {"no_ink", "not_an_image", "no_ink", "truncated"};
        for (int i = 0; i < reasons.length; i++) {
            rows.add(rejected(n++, FIRST_DAY.plusDays(i % 3), reasons[i]));
        }
        return rows;
    }

    private static Prediction ok(int n, LocalDate day, int digit, float confidence) {
        Instant uploaded = uploadedAt(n, day);
        List<Float> probabilities = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            probabilities.add(d == digit ? confidence : (1 - confidence) / 9);
        }
        return new Prediction(imageId(n), "notebooks-it-" + n + ".png", Prediction.Source.batch, Prediction.Status.ok, null,
                digit, confidence, probabilities, "notebooks-it", uploaded, uploaded.plusSeconds(1));
    }

    private static Prediction rejected(int n, LocalDate day, String reason) {
        Instant uploaded = uploadedAt(n, day);
        return new Prediction(imageId(n), "notebooks-it-" + n + ".png", Prediction.Source.batch, Prediction.Status.rejected,
                reason, null, null, null, "notebooks-it", uploaded, uploaded.plusSeconds(1));
    }

    /** Fixed ids: a rerun against the same node overwrites its rows instead of adding to the counts. */
    private static UUID imageId(int n) {
        return UUID.nameUUIDFromBytes(("NotebooksIT/" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Instant uploadedAt(int n, LocalDate day) {
        // Spread over the day, up to its last minutes, to catch an off-by-one-day in the UTC range.
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600L * (n % 24) + 59 * 60);
    }
}
