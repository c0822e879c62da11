package io.digitflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.testkit.TestHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment's security settings, each proven present (there is no engine here to start the
 * containers): no capabilities, no privilege gain, read-only roots, networks that keep the web
 * away from Spark (Prometheus reaches each on a network of its own), Cassandra's logins from
 * secrets for every client, Spark's own authentication, the web's token for Prometheus from a
 * secret file, the stream's metrics unpublished, the Spark image at the jars' version, and no base
 * image past its end of life.
 */
class DeploymentHardeningTest {
    private static final Path ROOT = TestHome.root();
    /** Cassandra's image entrypoint writes cassandra.yaml at each start: its root stays writable. */
    private static final Set<String> WRITABLE_ROOT = Set.of("cassandra");
    /** The services that talk to Cassandra (the connector's spark.cassandra.auth.* comes from the same settings). */
    private static final Set<String> CASSANDRA_CLIENTS = Set.of("schema", "web", "stream", "trainer");
    private static final Set<String> SPARK_SERVICES = Set.of("spark-master", "spark-worker-1", "spark-worker-2", "stream", "trainer");
    /** The one-offs that prepare Cassandra for the web: they may share its networks. */
    private static final Set<String> CASSANDRA_SIDE = Set.of("cassandra", "schema", "cassandra-users");

    private static ComposeFile compose;
    private static String dockerfile;

    @BeforeAll
    static void read() throws IOException {
        compose = ComposeFile.read(ROOT.resolve("compose.yaml"));
        dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    }

    @Test
    void everyContainerDropsAllCapabilitiesAndCannotGainPrivileges() {
        for (String service : compose.services().keySet()) {
            assertEquals(List.of("ALL"), compose.list(service, "cap_drop"), service + " keeps capabilities");
            assertTrue(compose.list(service, "cap_add").isEmpty(), service + " adds capabilities back");
            assertTrue(compose.list(service, "security_opt").contains("no-new-privileges:true"), service + " may gain privileges");
            assertFalse(Boolean.TRUE.equals(compose.service(service).get("privileged")), service + " is privileged");
        }
    }

    @Test
    void everyRootFileSystemButCassandrasIsReadOnlyWithTmpWritable() {
        for (String service : compose.services().keySet()) {
            if (WRITABLE_ROOT.contains(service)) {
                continue;
            }
            assertEquals(Boolean.TRUE, compose.service(service).get("read_only"), service + " has a writable root file system");
            boolean tmp = compose.list(service, "tmpfs").stream().anyMatch(t -> t.equals("/tmp") || t.startsWith("/tmp:"))
                    || compose.list(service, "volumes").stream().anyMatch(v -> v.equals("/tmp") || v.endsWith(":/tmp"));
            assertTrue(tmp, service + " is read-only but has nowhere to write /tmp (the JVM's and Spark's scratch)");
        }
    }

    @Test
    void theWebSharesNetworksWithCassandraAndWithPrometheusOnly() {
        List<String> webNetworks = compose.list("web", "networks");
        assertFalse(webNetworks.isEmpty(), "the web must name its networks (else it is on the default one with everything)");
        for (String network : webNetworks) {
            Set<String> others = new java.util.TreeSet<>(compose.membersOf(network));
            others.remove("web");
            if (!others.equals(Set.of("prometheus"))) {
                others.removeAll(CASSANDRA_SIDE);
                assertEquals(Set.of(), others, "the web shares the network " + network + " with");
            }
        }
        assertTrue(webNetworks.stream().anyMatch(n -> compose.membersOf(n).contains("cassandra")), "the web reaches Cassandra");
        for (String spark : SPARK_SERVICES) {
            assertTrue(compose.list(spark, "networks").stream().noneMatch(webNetworks::contains), spark + " shares a network with the web");
        }
    }

    @Test
    void prometheusReachesTheWebAndTheStreamEachOnAnInternalNetworkOfTheirOwn() {
        List<String> networks = compose.list("prometheus", "networks");
        assertFalse(networks.isEmpty(), "Prometheus must name its networks (else it is on the default one with everything)");
        Set<String> reached = new java.util.TreeSet<>();
        for (String network : networks) {
            Set<String> others = new java.util.TreeSet<>(compose.membersOf(network));
            others.remove("prometheus");
            assertTrue(others.size() <= 1, "Prometheus joins " + others + " on " + network + ": one service a network, so it bridges none");
            if (!others.isEmpty()) {
                assertEquals(Boolean.TRUE, compose.networks().get(network).get("internal"), network + " (Prometheus to " + others + ") has a way out");
                reached.addAll(others);
            }
        }
        assertEquals(Set.of("stream", "web"), reached, "the services Prometheus reaches");
    }

    @Test
    void theStreamsMetricsListenForPrometheusAndAreNotPublished() {
        assertEquals("0.0.0.0", compose.environment("stream", "DIGITFLOW_STREAM_METRICS_HOST").orElse(null),
                "the stream's metrics on loopback only: Prometheus cannot reach them");
        assertTrue(compose.list("stream", "ports").isEmpty(), "the stream publishes " + compose.list("stream", "ports"));
    }

    @Test
    void prometheusShowsTheWebItsTokenFromTheWebsOwnSecret() throws IOException {
        PrometheusConfig prometheus = PrometheusConfig.read(ROOT.resolve("conf/prometheus/prometheus.yml"));
        PrometheusConfig.Job web = prometheus.job("digitflow-web");
        assertFalse(web.inlineCredentials(), "the web's token is written into prometheus.yml");
        String file = web.credentialsFile().orElseThrow(() -> new AssertionError("Prometheus scrapes the web without its token"));
        String webToken = compose.environment("web", "DIGITFLOW_WEB_TOKEN_FILE").orElse("");
        assertEquals(webToken, file, "Prometheus reads another token than the web's");
        String secret = file.substring("/run/secrets/".length());
        assertTrue(compose.list("prometheus", "secrets").contains(secret), "Prometheus does not mount the secret " + secret);
        assertTrue(compose.list("prometheus", "volumes").contains("./conf/prometheus:/etc/prometheus:ro"),
                "Prometheus' configuration is not conf/prometheus, read-only: " + compose.list("prometheus", "volumes"));
    }

    @Test
    void imagesFromElsewhereArePinnedToAVersion() {
        for (String service : compose.services().keySet()) {
            Object image = compose.service(service).get("image");
            if (image != null) {
                assertTrue(String.valueOf(image).matches("[\\w./-]+:v?\\d+(\\.\\d+)+"), service + " runs " + image + ", no version tag");
            }
        }
    }

    @Test
    void sparkRunsOnItsOwnInternalNetworkWithCassandra() {
        for (String spark : SPARK_SERVICES) {
            assertTrue(compose.list(spark, "networks").contains("spark"), spark + " is not on the spark network");
        }
        assertTrue(compose.membersOf("spark").contains("cassandra"), "the executors write to Cassandra");
        assertEquals(Boolean.TRUE, compose.networks().get("spark").get("internal"), "the spark network has a way out");
        assertEquals(Boolean.TRUE, compose.networks().get("web-db").get("internal"), "the web-db network has a way out");
        for (String service : compose.services().keySet()) {
            for (String port : compose.list(service, "ports")) {
                assertTrue(port.startsWith("127.0.0.1:"), service + " publishes " + port + " beyond this machine");
            }
        }
    }

    @Test
    void cassandraWantsPasswordsAndEveryClientLogsInFromASecret() {
        String jvm = compose.environment("cassandra", "JVM_EXTRA_OPTS").orElse("");
        assertTrue(jvm.contains("-Dcassandra.config.allow_system_properties=true")
                && jvm.contains("-Dcassandra.settings.authenticator.class_name=PasswordAuthenticator")
                && jvm.contains("-Dcassandra.settings.authorizer.class_name=CassandraAuthorizer"), "Cassandra lets anyone in: " + jvm);
        for (String client : CASSANDRA_CLIENTS) {
            assertEquals("digitflow", compose.environment(client, "DIGITFLOW_CASSANDRA_USER").orElse(null), client + " logs in as");
            String file = compose.environment(client, "DIGITFLOW_CASSANDRA_PASSWORD_FILE").orElse("");
            assertTrue(file.startsWith("/run/secrets/"), client + " reads its Cassandra password from " + file);
            String secret = file.substring("/run/secrets/".length());
            assertTrue(compose.list(client, "secrets").contains(secret), client + " does not mount the secret " + secret);
            assertTrue(compose.secrets().containsKey(secret), "no top-level secret " + secret);
            assertTrue(compose.environment(client, "DIGITFLOW_CASSANDRA_PASSWORD").isEmpty(), client + " has its password in plain sight");
        }
        // The one-off that sets the logins up, before any client starts.
        assertTrue(compose.list("cassandra-users", "secrets").containsAll(List.of("cassandra_password", "cassandra_admin_password")));
        assertTrue(compose.service("schema").get("depends_on") instanceof Map<?, ?> deps && deps.containsKey("cassandra-users"),
                "the schema is installed before the logins exist");
    }

    @Test
    void sparkAuthenticatesItsProcessesWithASharedSecret() throws IOException {
        assertTrue(Pattern.compile("(?m)^spark\\.authenticate\\s+true$").matcher(dockerfile).find(),
                "the images' spark-defaults.conf does not turn spark.authenticate on");
        assertTrue(dockerfile.contains("ENTRYPOINT [\"/opt/digitflow/bin/spark-secret\"]"), "the spark image does not add the secret at start");
        String script = Files.readString(ROOT.resolve("docker/spark-secret"));
        assertTrue(script.contains("spark.authenticate.secret") && script.contains("SPARK_CONF_DIR"), script);
        for (String spark : SPARK_SERVICES) {
            assertTrue(compose.list(spark, "secrets").contains("spark_secret"), spark + " has no spark_secret");
        }
        assertTrue(String.valueOf(compose.service("trainer").get("entrypoint")).startsWith("[/opt/digitflow/bin/spark-secret"),
                "the trainer replaces the entrypoint and must keep the secret");
    }

    @Test
    void theWebListensBeyondLoopbackOnlyWithItsAccessToken() {
        assertEquals("0.0.0.0", compose.environment("web", "DIGITFLOW_HOST").orElse(null));
        String token = compose.environment("web", "DIGITFLOW_WEB_TOKEN_FILE").orElse("");
        assertTrue(token.startsWith("/run/secrets/") && compose.list("web", "secrets").contains(token.substring("/run/secrets/".length())),
                "the web's token: " + token);
    }

    @Test
    void theSparkImageIsTheVersionTheJarsAreBuiltWith() throws IOException {
        Matcher pom = Pattern.compile("<spark\\.version>([^<]+)</spark\\.version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(pom.find(), "no spark.version in the root pom");
        Matcher image = Pattern.compile("ARG SPARK_IMAGE=apache/spark:([0-9.]+)-").matcher(dockerfile);
        assertTrue(image.find(), "no SPARK_IMAGE argument in the Dockerfile");
        assertEquals(pom.group(1), image.group(1), "the Spark image's version against the jars' (root pom spark.version)");
    }

    @Test
    void noBaseImageIsPastItsEndOfLife() {
        List<String> bases = baseImages();
        assertTrue(bases.size() >= 4, "base images found: " + bases);
        LocalDate today = LocalDate.now();
        for (String image : bases) {
            EndOfLife.of(image).ifPresent(eol -> assertTrue(today.isBefore(eol.date()),
                    image + " reached its end of life (" + eol.what() + ") on " + eol.date()));
        }
        assertTrue(bases.stream().noneMatch(b -> b.startsWith("node:") && EndOfLife.of(b).isEmpty()),
                "a Node image whose major version this test does not know: add it to EndOfLife");
    }

    /** The images the Dockerfile's stages start from (ARG defaults substituted; its own stages left out). */
    private static List<String> baseImages() {
        Map<String, String> args = new java.util.HashMap<>();
        Matcher arg = Pattern.compile("(?m)^ARG (\\w+)=(\\S+)").matcher(dockerfile);
        while (arg.find()) {
            args.put(arg.group(1), arg.group(2));
        }
        Set<String> stages = new java.util.HashSet<>();
        List<String> bases = new ArrayList<>();
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)(?: AS (\\S+))?").matcher(dockerfile);
        while (from.find()) {
            String image = from.group(1);
            for (var a : args.entrySet()) {
                image = image.replace("${" + a.getKey() + "}", a.getValue());
            }
            if (!stages.contains(image)) {
                bases.add(image);
            }
            if (from.group(2) != null) {
                stages.add(from.group(2));
            }
        }
        return bases;
    }
}
