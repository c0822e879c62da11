package io.digitflow.results;

import com.datastax.oss.driver.api.core.CqlSession;
import io.digitflow.config.Cli;
import io.digitflow.config.Settings;
import io.digitflow.config.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code schema.cql} (the one schema file) idempotently: every statement is
 * {@code CREATE ... IF NOT EXISTS}, so running it on every start is safe.
 */
public final class SchemaInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaInstaller.class);
    static final String SCHEMA_RESOURCE = "/digitflow/schema.cql";

    private SchemaInstaller() {
    }

    public static void install(CqlSession session, String replication) {
        for (String statement : statements(replication)) {
            session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(statement)
                    .setTimeout(Duration.ofSeconds(30)));
        }
        // Later statements (and other clients) must see the tables on every node.
        session.checkSchemaAgreement();
    }

    /** The statements of schema.cql with the replication map filled in; comments removed. */
    static List<String> statements(String replication) {
        String text;
        try (InputStream in = SchemaInstaller.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + SCHEMA_RESOURCE + " is missing from the classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n")) {
            int comment = line.indexOf("--");
            body.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String s : body.toString().replace("${replication}", replication).split(";")) {
            String trimmed = s.strip();
            if (!trimmed.isEmpty()) {
                statements.add(trimmed);
            }
        }
        return statements;
    }

    /** Used by bin/lib/cassandra-node after a start, by compose, and by operators against an external cluster. */
    public static void main(String[] args) {
        Cli.main(new Command(), args);
    }

    @picocli.CommandLine.Command(name = "schema", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Applies the digitflow schema to the cluster in DIGITFLOW_CASSANDRA (default the embedded node).")
    static final class Command implements Runnable {
        @Override
        public void run() {
            apply(Settings.fromEnvironment());
        }
    }

    static void apply(Settings settings) {
        long start = System.nanoTime();
        try (CqlSession session = CassandraSessions.open(settings)) {
            install(session, settings.replication());
        }
        LOG.info("cassandra: schema applied on {} in {} ms", settings.cassandraSpec(), (System.nanoTime() - start) / 1_000_000);
    }
}
