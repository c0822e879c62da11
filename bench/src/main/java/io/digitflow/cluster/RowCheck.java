package io.digitflow.cluster;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.digitflow.config.Settings;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.PredictionTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the cluster benchmarks' outcome against what was dropped: every expected image name has
 * exactly one row in {@code predictions} and in {@code recent_predictions}, no other rows exist, and
 * the predicted digits match the labels in the names well enough to prove the rows were scored.
 * Reads at consistency ALL, so every replica — including a node that was killed and brought
 * back — must answer, and the answer merges all of them.
 *
 * <pre>DIGITFLOW_CASSANDRA=... RowCheck NAMES_FILE   (one expected image_name per line)</pre>
 * Exit 0 when all holds, 1 otherwise; one summary line on stdout either way.
 */
public final class RowCheck {
    private RowCheck() {
    }

    /** What the tables hold, per image name. */
    record Counts(Map<String, Integer> predictions, Map<String, Integer> recent, int correct, int scored) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RowCheck NAMES_FILE");
            System.exit(2);
        }
        Set<String> expected = new TreeSet<>(Files.readAllLines(Path.of(args[0])));
        expected.remove("");
        Counts counts;
        try (CqlSession session = CassandraSessions.open(Settings.fromEnvironment())) {
            counts = read(session);
        }
        List<String> problems = problems(expected, counts);
        System.out.printf("expected %d files; predictions rows %d, recent rows %d; scored ok %d, predicted = label %d (%.1f%%); %s%n",
                expected.size(), total(counts.predictions()), total(counts.recent()), counts.scored(), counts.correct(),
                100.0 * counts.correct() / Math.max(1, counts.scored()),
                problems.isEmpty() ? "every file exactly one row, nothing lost" : problems.size() + " problems");
        problems.stream().limit(20).forEach(p -> System.out.println("  " + p));
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    static Counts read(CqlSession session) {
        Map<String, Integer> predictions = new HashMap<>();
        int correct = 0;
        int scored = 0;
        for (Row row : session.execute(all("SELECT image_name, status, predicted FROM "
                + PredictionTable.KEYSPACE + "." + PredictionTable.PREDICTIONS))) {
            String name = row.getString(0);
            predictions.merge(name, 1, Integer::sum);
            if ("ok".equals(row.getString(1))) {
                scored++;
                if (row.getInt(2) == MnistPngs.labelOf(name)) {
                    correct++;
                }
            }
        }
        Map<String, Integer> recent = new HashMap<>();
        for (Row row : session.execute(all("SELECT image_name FROM " + PredictionTable.KEYSPACE + "." + PredictionTable.RECENT))) {
            recent.merge(row.getString(0), 1, Integer::sum);
        }
        return new Counts(predictions, recent, correct, scored);
    }

    private static SimpleStatement all(String cql) {
        return SimpleStatement.newInstance(cql).setConsistencyLevel(ConsistencyLevel.ALL)
                .setTimeout(Duration.ofSeconds(60)).setPageSize(5000);
    }

    /** Every way the tables differ from "each expected name exactly once, nothing else". */
    static List<String> problems(Set<String> expected, Counts counts) {
        List<String> problems = new java.util.ArrayList<>();
        compare("predictions", expected, counts.predictions(), problems);
        compare(PredictionTable.RECENT, expected, counts.recent(), problems);
        if (counts.scored() > 0 && counts.correct() < 0.8 * counts.scored()) {
            problems.add("only " + counts.correct() + " of " + counts.scored() + " predictions match their label: not really scored?");
        }
        return problems;
    }

    private static void compare(String table, Set<String> expected, Map<String, Integer> rows, List<String> problems) {
        for (String name : expected) {
            int n = rows.getOrDefault(name, 0);
            if (n != 1) {
                problems.add(table + ": " + name + " has " + n + " rows");
            }
        }
        rows.keySet().stream().filter(name -> !expected.contains(name)).sorted()
                .forEach(name -> problems.add(table + ": unexpected row for " + name));
    }

    private static int total(Map<String, Integer> rows) {
        return rows.values().stream().mapToInt(Integer::intValue).sum();
    }
}
