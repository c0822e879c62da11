package io.digitflow.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.config.Settings;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.PredictionStore;
import io.digitflow.results.SchemaInstaller;
import java.time.Duration;

/**
 * The page's connection to Cassandra, opened on first use and re-opened after a failure (at most
 * every few seconds), so the web server starts, accepts uploads and answers /healthz even while
 * Cassandra is down or restarting.
 */
final class ResultsDatabase implements AutoCloseable {
    private static final long RETRY_NANOS = Duration.ofSeconds(3).toNanos();

    private final Settings settings;
    private CqlSession session;
    private PredictionStore store;
    private long lastAttempt;
    private String lastError = "not connected yet";

    ResultsDatabase(Settings settings) {
        this.settings = settings;
    }

    /** The store, or an exception saying why Cassandra is unreachable. */
    synchronized PredictionStore store() {
        if (store != null) {
            return store;
        }
        long now = System.nanoTime();
        if (lastAttempt != 0 && now - lastAttempt < RETRY_NANOS) {
            throw new IllegalStateException("Cassandra at " + settings.cassandraSpec() + " is unreachable: " + lastError);
        }
        lastAttempt = now;
        try {
            session = CassandraSessions.open(settings);
            SchemaInstaller.install(session, settings.replication());
            store = new PredictionStore(session);
            return store;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            if (session != null) {
                session.close();
                session = null;
            }
            throw new IllegalStateException("Cassandra at " + settings.cassandraSpec() + " is unreachable: " + lastError, e);
        }
    }

    /** A cheap query proving the cluster answers now. */
    void ping() {
        store();
        synchronized (this) {
            session.execute("SELECT release_version FROM system.local");
        }
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
        }
    }
}
