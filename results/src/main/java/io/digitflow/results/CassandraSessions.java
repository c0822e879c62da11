package io.digitflow.results;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.digitflow.config.Settings;
import java.time.Duration;

/**
 * Opens driver sessions to the configured cluster (the embedded node or DIGITFLOW_CASSANDRA), with
 * the configured login and every request at the configured consistency level.
 */
public final class CassandraSessions {
    private CassandraSessions() {
    }

    public static CqlSession open(Settings settings) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                // The first CREATE TABLE on a fresh node takes ~2.5 s and schema agreement waits on top.
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                // Keep trying to reconnect after a node restart instead of giving up.
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, settings.consistency())
                .build();
        CqlSessionBuilder builder = CqlSession.builder();
        settings.credentials().ifPresent(c -> builder.withAuthCredentials(c.user(), c.password()));
        return builder
                .addContactPoints(settings.cassandra().stream()
                        .map(a -> new java.net.InetSocketAddress(a.getHostString(), a.getPort()))
                        .toList())
                .withLocalDatacenter(settings.localDatacenter())
                .withConfigLoader(config)
                .build();
    }
}
