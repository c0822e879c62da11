package io.digitflow.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.config.Settings;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.PredictionStore;
import io.digitflow.results.SchemaInstaller;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's connection to Cassandra, opened on first use and re-opened after a failure (at most
 * every few seconds), so the web server starts, accepts uploads and answers /healthz even while
 * Cassandra is down or restarting. Why a connection failed (hosts included) goes to the log; the
 * exception clients may see says only that the database is unavailable.
 */
final class ResultsDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsDatabase.class);
    private static final long RETRY_NANOS = Duration.ofSeconds(3).toNanos();

    private final Settings settings;
    private CqlSession session;
    private PredictionStore store;
    private long lastAttempt;
    private RuntimeException lastError;

    ResultsDatabase(Settings settings) {
        this.settings = settings;
    }

    /** The store, or a {@link ResultsUnavailableException} while Cassandra is unreachable. */
    synchronized PredictionStore store() {
        if (store != null) {
            return store;
        }
        long now = System.nanoTime();
        if (lastAttempt != 0 && now - lastAttempt < RETRY_NANOS) {
            throw new ResultsUnavailableException(lastError);
        }
        lastAttempt = now;
        try {
            session = CassandraSessions.open(settings);
            SchemaInstaller.install(session, settings.replication());
            store = new PredictionStore(session);
            LOG.info("connected to Cassandra at {}", settings.cassandraSpec());
            return store;
        } catch (RuntimeException e) {
            lastError = e;
            LOG.warn("cannot connect to Cassandra at {}: {}", settings.cassandraSpec(), e.toString());
            if (session != null) {
                session.close();
                session = null;
            }
            throw new ResultsUnavailableException(e);
        }
    }

    /** A cheap query proving the cluster answers now; throws a driver exception if it does not. */
    void ping() {
        CqlSession s;
        store();
        synchronized (this) {
            s = session;
        }
        s.execute("SELECT release_version FROM system.local");
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
        }
    }
}
