package io.digitflow.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.config.Settings;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.SchemaInstaller;
import java.util.Map;
import java.util.Optional;

/**
 * The Cassandra node shared by the whole test run: {@code bin/digitflow test} starts a fresh one
 * and names it in {@code DIGITFLOW_CASSANDRA}. Tests that need it fail (not skip) without it, so a
 * green run always means the database paths were exercised.
 */
public final class TestCassandra {
    private TestCassandra() {
    }

    public static Settings settings() {
        String spec = System.getenv("DIGITFLOW_CASSANDRA");
        if (spec == null || spec.isBlank()) {
            throw new IllegalStateException("DIGITFLOW_CASSANDRA is not set: these tests need a real Cassandra node. "
                    + "Run them with `bin/digitflow test` (it starts one), or start a node with "
                    + "`bin/digitflow cassandra start` and export DIGITFLOW_CASSANDRA=127.0.0.1:9042");
        }
        return Settings.fromEnvironment();
    }

    /** A session to the shared node with the schema applied (idempotent). */
    public static CqlSession openSession() {
        Settings settings = settings();
        CqlSession session = CassandraSessions.open(settings);
        SchemaInstaller.install(session, settings.replication());
        return session;
    }

    /** Settings naming a different node, e.g. a {@link PrivateCassandraNode}. */
    public static Settings settingsFor(String host, int port) {
        return Settings.resolve(Optional.empty(), Optional.empty(), Map.of("DIGITFLOW_CASSANDRA", host + ":" + port), TestHome.root().toString());
    }
}
