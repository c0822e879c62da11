package io.digitflow.train;

import static io.digitflow.results.PredictionTable.*;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.digitflow.config.Settings;
import io.digitflow.results.CassandraSessions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labelled uploads as the command-line tools read them (plain driver, no Spark): for
 * {@code evaluate}'s held-out part and for {@code models list}'s live accuracy, i.e. how often each
 * version's answer agreed with what people said.
 */
final class LabelledUploads {
    private static final Logger LOG = LoggerFactory.getLogger(LabelledUploads.class);

    private LabelledUploads() {
    }

    /** Agreements and labels per model version: {version → [agreed, labelled]}. */
    record Live(Map<String, int[]> byVersion) {
        String accuracy(String version) {
            int[] c = byVersion.get(version);
            return c == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f%% (%d)", 100.0 * c[0] / c[1], c[1]);
        }
    }

    static Optional<Live> live(Settings settings) {
        return withSession(settings, session -> {
            Map<String, int[]> counts = new TreeMap<>();
            for (Row r : session.execute("SELECT " + MODEL_VERSION + ", " + PREDICTED + ", " + DIGIT + " FROM " + KEYSPACE + "." + LABELS)) {
                int[] c = counts.computeIfAbsent(String.valueOf(r.getString(MODEL_VERSION)), v -> new int[2]);
                c[0] += !r.isNull(PREDICTED) && r.getInt(PREDICTED) == r.getInt(DIGIT) ? 1 : 0;
                c[1]++;
            }
            return new Live(counts);
        });
    }

    static Optional<Feedback> all(Settings settings) {
        return withSession(settings, session -> {
            List<Feedback.Example> examples = new ArrayList<>();
            for (Row r : session.execute("SELECT " + IMAGE_ID + ", " + PIXELS + ", " + DIGIT + " FROM " + KEYSPACE + "." + LABELS)) {
                ByteBuffer pixels = r.getByteBuffer(PIXELS);
                if (pixels != null && pixels.remaining() == 784 && !r.isNull(DIGIT)) {
                    byte[] bytes = new byte[784];
                    pixels.duplicate().get(bytes);
                    examples.add(new Feedback.Example(r.getUuid(IMAGE_ID), bytes, r.getInt(DIGIT)));
                }
            }
            return Feedback.of(examples);
        });
    }

    /** Cassandra away is not a failure of the command: the uploads' figures are then left out, said on stderr. */
    private static <T> Optional<T> withSession(Settings settings, Function<CqlSession, T> query) {
        try (CqlSession session = CassandraSessions.open(settings)) {
            return Optional.of(query.apply(session));
        } catch (RuntimeException e) {
            LOG.warn("labelled uploads not read: Cassandra at {} did not answer ({})", settings.cassandraSpec(), e.getMessage());
            return Optional.empty();
        }
    }
}
