package io.digitflow.pipeline.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import com.datastax.spark.connector.cql.CassandraConnectionFactory;
import com.datastax.spark.connector.cql.CassandraConnectorConf;
import com.datastax.spark.connector.cql.DefaultConnectionFactory$;
import com.datastax.spark.connector.cql.Scanner;
import com.datastax.spark.connector.rdd.ReadConf;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.IndexedSeq;
import scala.collection.immutable.Set;

/**
 * The connector's own session factory, plus one guard: a schema refresh can no longer block a
 * write forever.
 *
 * <p>Why: the Cassandra Java driver 4.18 (the one spark-cassandra-connector 3.5 ships) wedges a
 * session's schema refreshes for good when one refresh fails while the control connection is down:
 * its MetadataManager never clears the failed in-flight refresh, so every later one is queued
 * behind it and never runs (the same code was fixed in the ScyllaDB fork, scylladb/java-driver#841).
 * The connector calls the blocking, uninterruptible {@code Session.refreshSchema()} before every
 * write and caches its sessions, so after a Cassandra outage the stream hung there with Cassandra
 * long back (seen in a thread dump of CassandraOutageIT's stream).
 *
 * <p>Sessions made here wait at most {@link #REFRESH_LIMIT} for a refresh; past that they answer
 * with the schema they already hold and do not queue another refresh while that one is pending.
 * The digitflow schema is installed before the stream starts and never changes under it, so the
 * held schema is the right one. A refresh that fails (Cassandra down) still fails the write, so the
 * query stops and {@link io.digitflow.pipeline.stream.StreamJob} restarts it from its checkpoint.
 *
 * <p>Named in {@code spark.cassandra.connection.factory}.
 */
public final class BoundedSchemaRefreshFactory implements CassandraConnectionFactory {
    static final Duration REFRESH_LIMIT = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(BoundedSchemaRefreshFactory.class);

    @Override
    public CqlSession createSession(CassandraConnectorConf conf) {
        CqlSession session = DefaultConnectionFactory$.MODULE$.createSession(conf);
        return (CqlSession) Proxy.newProxyInstance(CqlSession.class.getClassLoader(),
                new Class<?>[] {CqlSession.class}, new BoundedRefresh(session, REFRESH_LIMIT));
    }

    @Override
    public Set<String> properties() {
        return DefaultConnectionFactory$.MODULE$.properties();
    }

    @Override
    public Scanner getScanner(ReadConf readConf, CassandraConnectorConf connConf, IndexedSeq<String> columnNames) {
        return DefaultConnectionFactory$.MODULE$.getScanner(readConf, connConf, columnNames);
    }

    /**
     * The connector caches sessions by their configuration, this factory included, and every Spark
     * task deserializes its own copy: all copies must count as one, or each task opens a new session.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof BoundedSchemaRefreshFactory;
    }

    @Override
    public int hashCode() {
        return BoundedSchemaRefreshFactory.class.hashCode();
    }

    /** Passes every call through except {@code refreshSchema()}, whose wait it bounds. */
    static final class BoundedRefresh implements InvocationHandler {
        private final CqlSession session;
        private final Duration limit;
        private CompletableFuture<Metadata> pending;

        BoundedRefresh(CqlSession session, Duration limit) {
            this.session = session;
            this.limit = limit;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "refreshSchema":
                    if (method.getParameterCount() == 0) {
                        return refreshSchema();
                    }
                    break;
                // The connector's session cache keys on the session it was given: the proxy's identity.
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    break;
            }
            try {
                return method.invoke(session, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        Metadata refreshSchema() throws InterruptedException {
            CompletableFuture<Metadata> refresh;
            synchronized (this) {
                if (pending != null && !pending.isDone()) {
                    // An earlier refresh never came back: a new one would only queue behind it.
                    return session.getMetadata();
                }
                refresh = session.refreshSchemaAsync().toCompletableFuture();
                pending = refresh;
            }
            try {
                return refresh.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("Cassandra schema refresh did not answer within {} s (the driver wedges it after an outage); "
                        + "writing with the schema this session already holds", limit.toSeconds());
                return session.getMetadata();
            } catch (ExecutionException e) {
                // Cassandra down, say: fail the write as the plain driver would, so the query restarts.
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }
}
