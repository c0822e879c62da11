package io.digitflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Flags flags(String... args) {
        return Flags.parse(args, Set.of("inbox", "models", "epochs"), Set.of("local"));
    }

    @Test
    void flagBeatsEnvironmentBeatsDefault() {
        Map<String, String> env = Map.of("DIGITFLOW_INBOX", "env-inbox", "DIGITFLOW_MODELS", "env-models");
        Settings s = Settings.resolve(flags("--inbox", "flag-inbox"), env, "/repo");
        assertEquals(Path.of("/repo/flag-inbox"), s.inbox());
        assertEquals(Path.of("/repo/env-models"), s.models());

        Settings defaults = Settings.resolve(flags(), Map.of(), "/repo");
        assertEquals(Path.of("/repo/var/inbox"), defaults.inbox());
        assertEquals(Path.of("/repo/models"), defaults.models());
        assertTrue(defaults.embeddedCassandra());
        assertEquals("127.0.0.1:9042", defaults.cassandraSpec());
    }

    @Test
    void externalClusterIsParsedAndNotEmbedded() {
        Settings s = Settings.resolve(flags(), Map.of("DIGITFLOW_CASSANDRA", "10.0.0.1:9043, db2"), "/repo");
        assertFalse(s.embeddedCassandra());
        assertEquals("10.0.0.1:9043,db2:9042", s.cassandraSpec());
    }

    @Test
    void absolutePathsStayAbsolute() {
        Settings s = Settings.resolve(flags("--models=/data/models"), Map.of(), "/repo");
        assertEquals(Path.of("/data/models"), s.models());
    }

    @Test
    void mistakesAreUsageErrors() {
        assertThrows(UsageException.class, () -> flags("--inbx", "x"));
        assertThrows(UsageException.class, () -> flags("--inbox"));
        assertThrows(UsageException.class, () -> flags("--local=yes"));
        assertThrows(UsageException.class, () -> flags("--epochs", "three").intValue("epochs", 1));
        assertThrows(UsageException.class, () -> Settings.parseContactPoints("host:port"));
        assertThrows(UsageException.class, () -> Settings.parseContactPoints(" , "));
    }

    @Test
    void positionalArgumentsAndSwitches() {
        Flags f = flags("dir", "--local", "--epochs=3");
        assertEquals(java.util.List.of("dir"), f.positional());
        assertTrue(f.isSet("local"));
        assertEquals(3, f.intValue("epochs", 1));
    }
}
