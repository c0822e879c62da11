package io.digitflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class CliTest {
    @Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = Version.class)
    static final class Sample implements Callable<Integer> {
        @Mixin
        Locations locations;
        @Option(names = "--epochs", defaultValue = "1")
        int epochs;
        @Option(names = "--local")
        boolean local;
        @Parameters(arity = "0..1")
        String dir;
        boolean ran;
        RuntimeException toThrow;

        @Override
        public Integer call() {
            ran = true;
            if (toThrow != null) {
                throw toThrow;
            }
            return 0;
        }
    }

    private record Run(int status, String out, String err, Sample command) {
    }

    private static Run run(Sample sample, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(sample);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString(), sample);
    }

    @Test
    void helpAndVersionAnswerWithoutRunningTheCommand() {
        for (String flag : new String[] {"-h", "--help"}) {
            Run r = run(new Sample(), flag);
            assertEquals(0, r.status());
            assertTrue(r.out().contains("Usage: sample") && r.out().contains("--inbox=DIR"), r.out());
            assertTrue(!r.command().ran, "help must not run the command");
        }
        Run v = run(new Sample(), "--version");
        assertEquals(0, v.status());
        assertTrue(v.out().startsWith("digitflow "), v.out());
        assertTrue(!v.command().ran);
    }

    @Test
    void mistakesInTheArgumentsExit2WithTheUsage() {
        for (String[] args : new String[][] {{"--inbx", "x"}, {"--inbox"}, {"--local=maybe"}, {"--epochs", "three"}, {"a", "b"}}) {
            Run r = run(new Sample(), args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertTrue(r.err().contains("Usage: sample"), r.err());
            assertTrue(!r.command().ran);
        }
    }

    @Test
    void usageExceptionsExit2AndOtherFailuresExit1WithOneLine() {
        Sample usage = new Sample();
        usage.toThrow = new UsageException("name exactly one folder");
        Run u = run(usage);
        assertEquals(2, u.status());
        assertTrue(u.err().startsWith("error: name exactly one folder"), u.err());

        Sample broken = new Sample();
        broken.toThrow = new IllegalStateException("Cassandra is unreachable");
        Run b = run(broken);
        assertEquals(1, b.status());
        assertTrue(b.err().startsWith("error: Cassandra is unreachable"), b.err());
    }

    @Test
    void parseSetsOptionsAndLeavesExceptionsToTheCaller() {
        Sample s = Cli.parse(new Sample(), "--epochs=3", "--local", "dir");
        assertEquals(3, s.epochs);
        assertTrue(s.local);
        assertEquals("dir", s.dir);
        assertThrows(CommandLine.ParameterException.class, () -> Cli.parse(new Sample(), "--nope"));
    }
}
