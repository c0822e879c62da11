package io.digitflow.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration every command shares, resolved once: flag, then environment variable,
 * then default. Paths are relative to the digitflow home (the repository root) unless absolute.
 *
 * @param home          repository root (system property {@code digitflow.home}, else the working directory)
 * @param inbox         watched upload directory ({@code --inbox}, {@code DIGITFLOW_INBOX}, default {@code var/inbox})
 * @param models        model store ({@code --models}, {@code DIGITFLOW_MODELS}, default {@code models})
 * @param cassandra     contact points ({@code DIGITFLOW_CASSANDRA=host:port[,host:port]}, default the embedded node)
 * @param embeddedCassandra true when no external cluster was named
 * @param localDatacenter   the driver's local DC ({@code DIGITFLOW_CASSANDRA_DC}, default {@code datacenter1})
 * @param replication   keyspace replication map in CQL ({@code DIGITFLOW_REPLICATION})
 * @param consistency   the consistency level of every read and write ({@code DIGITFLOW_CONSISTENCY}, default LOCAL_QUORUM)
 * @param credentials   Cassandra's login ({@code DIGITFLOW_CASSANDRA_USER} and {@code DIGITFLOW_CASSANDRA_PASSWORD}
 *                      or {@code DIGITFLOW_CASSANDRA_PASSWORD_FILE}, a secret mounted as a file), if the cluster needs one
 */
public record Settings(
        Path home,
        Path inbox,
        Path models,
        List<InetSocketAddress> cassandra,
        boolean embeddedCassandra,
        String localDatacenter,
        String replication,
        String consistency,
        Optional<Credentials> credentials) {

    public static final String EMBEDDED_CASSANDRA = "127.0.0.1:9042";
    public static final String DEFAULT_REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    /** A majority of the replicas in the local datacenter: a write survives the loss of a minority of them. */
    public static final String DEFAULT_CONSISTENCY = "LOCAL_QUORUM";
    static final List<String> CONSISTENCY_LEVELS = List.of("ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM",
            "EACH_QUORUM", "LOCAL_ONE");

    /** A login to Cassandra; the password never appears in {@link #toString()}. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }

    public Settings {
        cassandra = List.copyOf(cassandra);
    }

    /** From the process environment alone (no flags): notebooks, tools, tests. */
    public static Settings fromEnvironment() {
        return resolve(Optional.empty(), Optional.empty());
    }

    /** From the process environment and the {@code --inbox} / {@code --models} flags, when given. */
    public static Settings resolve(Optional<String> inboxFlag, Optional<String> modelsFlag) {
        return resolve(inboxFlag, modelsFlag, System.getenv(), System.getProperty("digitflow.home"));
    }

    public static Settings resolve(Optional<String> inboxFlag, Optional<String> modelsFlag, Map<String, String> env,
            String homeProperty) {
        Path home = Path.of(homeProperty != null ? homeProperty : "").toAbsolutePath().normalize();
        Path inbox = home.resolve(pick(inboxFlag, env, "DIGITFLOW_INBOX", "var/inbox")).normalize();
        Path models = home.resolve(pick(modelsFlag, env, "DIGITFLOW_MODELS", "models")).normalize();
        String external = env.get("DIGITFLOW_CASSANDRA");
        boolean embedded = external == null || external.isBlank();
        List<InetSocketAddress> points = parseContactPoints(embedded ? EMBEDDED_CASSANDRA : external);
        String dc = env.getOrDefault("DIGITFLOW_CASSANDRA_DC", "datacenter1");
        String replication = env.getOrDefault("DIGITFLOW_REPLICATION", DEFAULT_REPLICATION);
        String consistency = pick(Optional.empty(), env, "DIGITFLOW_CONSISTENCY", DEFAULT_CONSISTENCY).trim().toUpperCase(java.util.Locale.ROOT);
        if (!CONSISTENCY_LEVELS.contains(consistency)) {
            throw new UsageException("DIGITFLOW_CONSISTENCY must be one of " + CONSISTENCY_LEVELS + ", got '" + consistency + "'");
        }
        return new Settings(home, inbox, models, points, embedded, dc, replication, consistency, credentials(env, home));
    }

    private static Optional<Credentials> credentials(Map<String, String> env, Path home) {
        String user = env.get("DIGITFLOW_CASSANDRA_USER");
        if (user == null || user.isBlank()) {
            return Optional.empty();
        }
        String password = env.get("DIGITFLOW_CASSANDRA_PASSWORD");
        String file = env.get("DIGITFLOW_CASSANDRA_PASSWORD_FILE");
        if (file != null && !file.isBlank()) {
            try {
                password = java.nio.file.Files.readString(home.resolve(file)).strip();
            } catch (java.io.IOException e) {
                throw new UsageException("DIGITFLOW_CASSANDRA_PASSWORD_FILE: cannot read " + file + " (" + e.getMessage() + ")");
            }
        }
        if (password == null) {
            throw new UsageException("DIGITFLOW_CASSANDRA_USER is set: set DIGITFLOW_CASSANDRA_PASSWORD or DIGITFLOW_CASSANDRA_PASSWORD_FILE too");
        }
        return Optional.of(new Credentials(user, password));
    }

    private static String pick(Optional<String> flag, Map<String, String> env, String var, String fallback) {
        return flag.orElseGet(() -> {
            String v = env.get(var);
            return v == null || v.isBlank() ? fallback : v;
        });
    }

    /** Parses {@code host:port[,host:port]}; a missing port means 9042. */
    public static List<InetSocketAddress> parseContactPoints(String spec) {
        List<InetSocketAddress> points = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.lastIndexOf(':');
            String host = colon < 0 ? p : p.substring(0, colon);
            int port = 9042;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(p.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new UsageException("DIGITFLOW_CASSANDRA: bad port in '" + p + "' (expected host:port[,host:port])");
                }
            }
            points.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (points.isEmpty()) {
            throw new UsageException("DIGITFLOW_CASSANDRA names no host (expected host:port[,host:port])");
        }
        return points;
    }

    /** {@code host:port,host:port}, as the Spark connector's connection.host/port want it split. */
    public String cassandraSpec() {
        StringBuilder b = new StringBuilder();
        for (InetSocketAddress a : cassandra) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(a.getHostString()).append(':').append(a.getPort());
        }
        return b.toString();
    }

    /**
     * The spark-cassandra-connector's settings for this cluster ({@code spark.cassandra.*}): contact
     * points, local DC, login, and the consistency level of the connector's own readers and writers.
     */
    public Map<String, String> connectorProperties() {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("spark.cassandra.connection.host", cassandraSpec());
        p.put("spark.cassandra.connection.localDC", localDatacenter);
        p.put("spark.cassandra.output.consistency.level", consistency);
        p.put("spark.cassandra.input.consistency.level", consistency);
        credentials.ifPresent(c -> {
            p.put("spark.cassandra.auth.username", c.user());
            p.put("spark.cassandra.auth.password", c.password());
        });
        return p;
    }

    public Path var() {
        return home.resolve("var");
    }

    /** The lines every command prints at start. */
    public String describe() {
        return "  home        " + home + "\n"
                + "  inbox       " + inbox + "\n"
                + "  models      " + models + "\n"
                + "  cassandra   " + cassandraSpec() + (embeddedCassandra ? " (embedded node)" : " (external, DIGITFLOW_CASSANDRA)") + "\n"
                + "  local DC    " + localDatacenter + "\n"
                + "  replication " + replication + "\n"
                + "  consistency " + consistency + credentials.map(c -> ", as user " + c.user()).orElse("");
    }
}
