package io.digitflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final Optional<String> NONE = Optional.empty();

    @Test
    void flagBeatsEnvironmentBeatsDefault() {
        Map<String, String> env = Map.of("DIGITFLOW_INBOX", "env-inbox", "DIGITFLOW_MODELS", "env-models");
        Settings s = Settings.resolve(Optional.of("flag-inbox"), NONE, env, "/repo");
        assertEquals(Path.of("/repo/flag-inbox"), s.inbox());
        assertEquals(Path.of("/repo/env-models"), s.models());

        Settings defaults = Settings.resolve(NONE, NONE, Map.of(), "/repo");
        assertEquals(Path.of("/repo/var/inbox"), defaults.inbox());
        assertEquals(Path.of("/repo/models"), defaults.models());
        assertTrue(defaults.embeddedCassandra());
        assertEquals("127.0.0.1:9042", defaults.cassandraSpec());
    }

    @Test
    void externalClusterIsParsedAndNotEmbedded() {
        Settings s = Settings.resolve(NONE, NONE, Map.of("DIGITFLOW_CASSANDRA", "10.0.0.1:9043, db2"), "/repo");
        assertFalse(s.embeddedCassandra());
        assertEquals("10.0.0.1:9043,db2:9042", s.cassandraSpec());
    }

    @Test
    void absolutePathsStayAbsolute() {
        Settings s = Settings.resolve(NONE, Optional.of("/data/models"), Map.of(), "/repo");
        assertEquals(Path.of("/data/models"), s.models());
    }

    @Test
    void badContactPointsAreUsageErrors() {
        assertThrows(UsageException.class, () -> Settings.parseContactPoints("host:port"));
        assertThrows(UsageException.class, () -> Settings.parseContactPoints(" , "));
    }
}
