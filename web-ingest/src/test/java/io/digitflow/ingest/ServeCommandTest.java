package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.config.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options of {@code serve} as the command line and the environment give them. */
class ServeCommandTest {
    static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void theDefaultIsLoopbackWithoutAToken() {
        WebOptions o = parse().options(Map.of());
        assertEquals("127.0.0.1", o.host());
        assertTrue(o.access().token().isEmpty() && !o.access().open());
        assertEquals(Duration.ofSeconds(120), o.timeouts().upload().max());
    }

    @Test
    void beyondLoopbackATokenOrOpenIsRequired(@TempDir Path dir) throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> parse("--host", "0.0.0.0").options(Map.of()));
        assertTrue(e.getMessage().contains("--open") && e.getMessage().contains("--token-file"), e.getMessage());
        assertTrue(parse("--host", "0.0.0.0", "--open").options(Map.of()).access().open());
        assertTrue(parse("--host", "0.0.0.0").options(Map.of("DIGITFLOW_WEB_TOKEN", "0123456789abcdef0123")).access().token().isPresent());
        Path file = Files.writeString(dir.resolve("token"), "0123456789abcdef0123\n");
        WebOptions fromFile = parse("--host", "0.0.0.0", "--token-file", file.toString()).options(Map.of());
        assertTrue(fromFile.access().token().orElseThrow().matches("0123456789abcdef0123"));
        assertTrue(parse("--host", "localhost").options(Map.of()).access().token().isEmpty(), "localhost is loopback");
    }

    @Test
    void tooShortTokensAndUnreadableFilesAreRefused(@TempDir Path dir) {
        assertThrows(UsageException.class, () -> parse().options(Map.of("DIGITFLOW_WEB_TOKEN", "short")));
        assertThrows(UsageException.class, () -> parse("--token-file", dir.resolve("missing").toString()).options(Map.of()));
    }

    @Test
    void hostsAndOriginsAreListsAndTheListenAddressIsAKnownHost() {
        WebOptions o = parse("--host", "192.0.2.9", "--open", "--allow-host", "a.example,b.example", "--allow-origin", "https://c.example")
                .options(Map.of());
        assertEquals(java.util.Set.of("a.example", "b.example", "192.0.2.9"), o.access().allowedHosts());
        assertEquals(java.util.Set.of("https://c.example"), o.access().allowedOrigins());
        assertThrows(UsageException.class, () -> parse("--upload-timeout", "0").options(Map.of()));
    }
}
