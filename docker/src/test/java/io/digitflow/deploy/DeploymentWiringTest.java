package io.digitflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.testkit.TestHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the linters cannot know: that compose.yaml and docker/Dockerfile agree with the code they
 * start and with the deployment rules of the issue (non-root, health checks, explicit heaps, one
 * source for the Java 17 flags, volumes shared at the paths the jobs expect).
 */
class DeploymentWiringTest {
    private static final Path ROOT = TestHome.root();
    private static final Pattern MAIN_CLASS = Pattern.compile("io\\.digitflow(?:\\.[a-z]+)+\\.[A-Z]\\w*");

    @Test
    void everyMainClassTheDeploymentStartsExistsInTheSources() throws IOException {
        Set<String> classes = new TreeSet<>();
        for (Path file : deploymentFiles()) {
            Matcher m = MAIN_CLASS.matcher(Files.readString(file));
            while (m.find()) {
                classes.add(m.group());
            }
        }
        assertTrue(classes.containsAll(Set.of("io.digitflow.ingest.WebServer", "io.digitflow.results.SchemaInstaller",
                "io.digitflow.pipeline.stream.StreamJob", "io.digitflow.train.TrainJob")), "started: " + classes);
        List<Path> sourceRoots = sourceRoots();
        for (String name : classes) {
            String relative = name.replace('.', '/') + ".java";
            assertTrue(sourceRoots.stream().anyMatch(r -> Files.isRegularFile(r.resolve(relative))),
                    name + " is started by the deployment files but is not in any module's src/main/java");
        }
    }

    @Test
    void theJava17FlagsComeOnlyFromTheFileTheBuildWrites() throws IOException {
        assertTrue(Files.readString(ROOT.resolve("docker/Dockerfile")).contains("config/target/classes/digitflow/jvm.flags"),
                "the images must take the flags from config/target/classes/digitflow/jvm.flags");
        for (Path file : deploymentFiles()) {
            assertFalse(Files.readString(file).contains("--add-opens"),
                    ROOT.relativize(file) + " repeats Java 17 flags; their one source is the root pom's digitflow.jvm.flags");
        }
    }

    @Test
    void webStreamAndWorkersShareTheInboxAndTheTrainerSharesModelsWithTheStream() throws IOException {
        ComposeFile compose = ComposeFile.read(ROOT.resolve("compose.yaml"));
        String inbox = mount(compose, "stream", "inbox");
        // Executors read the files by the driver's paths, so workers need the very same mount point.
        for (String service : List.of("web", "spark-worker-1", "spark-worker-2")) {
            assertEquals(inbox, mount(compose, service, "inbox"), service + " mounts the inbox volume elsewhere");
        }
        String models = mount(compose, "stream", "models");
        assertEquals(models, mount(compose, "trainer", "models"), "trainer mounts the models volume elsewhere");
        for (String service : List.of("web", "stream")) {
            assertUnder(compose, service, "DIGITFLOW_INBOX", inbox);
        }
        for (String service : List.of("stream", "trainer")) {
            assertUnder(compose, service, "DIGITFLOW_MODELS", models);
        }
    }

    @Test
    void everyServiceRunsAsANonRootUser() throws IOException {
        ComposeFile compose = ComposeFile.read(ROOT.resolve("compose.yaml"));
        DockerfileStages stages = DockerfileStages.read(ROOT.resolve("docker/Dockerfile"));
        for (String service : compose.services().keySet()) {
            Optional<String> target = compose.buildTarget(service);
            Object named = compose.service(service).get("user");
            // An image from elsewhere names its user here: its own USER is not ours to check.
            String user = named != null ? String.valueOf(named)
                    : target.flatMap(t -> stages.effective(t, "USER")).orElse("root");
            assertFalse(user.equals("root") || user.matches("0(:.*)?"), service + (target.map(t -> " (target " + t + ")").orElse(""))
                    + " runs as " + user);
        }
    }

    @Test
    void prometheusScrapesTheWebAndTheStreamWhereTheyListen() throws IOException {
        ComposeFile compose = ComposeFile.read(ROOT.resolve("compose.yaml"));
        PrometheusConfig prometheus = PrometheusConfig.read(ROOT.resolve("conf/prometheus/prometheus.yml"));
        String webPort = compose.environment("web", "DIGITFLOW_PORT").orElseThrow();
        String streamPort = compose.environment("stream", "DIGITFLOW_STREAM_METRICS_PORT").orElse("9464");
        assertEquals(List.of("web:" + webPort), prometheus.job("digitflow-web").targets());
        assertEquals(List.of("stream:" + streamPort), prometheus.job("digitflow-stream").targets());
        // The web answers only to the host names it knows (DNS rebinding): Prometheus' Host is "web".
        assertTrue(List.of(compose.environment("web", "DIGITFLOW_ALLOWED_HOSTS").orElse("").split(",")).contains("web"),
                "the web refuses the host name Prometheus scrapes it by (DIGITFLOW_ALLOWED_HOSTS)");
        assertTrue(String.valueOf(compose.service("stream").get("healthcheck")).contains("127.0.0.1:" + streamPort + "/metrics"),
                "the stream's health check asks another port than its metrics'");
        for (String rules : prometheus.ruleFiles()) {
            assertTrue(Files.isRegularFile(ROOT.resolve("conf/prometheus").resolve(rules)), "prometheus.yml loads a missing " + rules);
        }
        assertFalse(prometheus.ruleFiles().isEmpty(), "prometheus.yml loads no alert rules");
    }

    @Test
    void aSparkDriverOnSeveralNetworksNamesTheAddressItsExecutorsReach() throws IOException {
        ComposeFile compose = ComposeFile.read(ROOT.resolve("compose.yaml"));
        assertTrue(Files.readString(ROOT.resolve("docker/submit")).contains("${DIGITFLOW_DRIVER_HOST:-"), "docker/submit ignores DIGITFLOW_DRIVER_HOST");
        for (String service : compose.services().keySet()) {
            String launch = String.valueOf(compose.service(service).get("command")) + " " + compose.service(service).get("entrypoint");
            if (launch.contains("/opt/digitflow/bin/submit") && compose.list(service, "networks").size() > 1) {
                // Else `hostname -i` names an address per network, and the first may be one the workers are not on.
                assertEquals(service, compose.environment(service, "DIGITFLOW_DRIVER_HOST").orElse(null),
                        service + " runs a driver on " + compose.list(service, "networks"));
            }
        }
    }

    @Test
    void everyLongRunningServiceHasAHealthCheck() throws IOException {
        ComposeFile compose = ComposeFile.read(ROOT.resolve("compose.yaml"));
        DockerfileStages stages = DockerfileStages.read(ROOT.resolve("docker/Dockerfile"));
        for (String service : compose.services().keySet()) {
            if (compose.isOneOff(service)) {
                continue;
            }
            boolean inCompose = compose.service(service).get("healthcheck") instanceof Map<?, ?> check
                    && !Boolean.TRUE.equals(check.get("disable"));
            boolean inImage = compose.buildTarget(service)
                    .flatMap(t -> stages.effective(t, "HEALTHCHECK"))
                    .filter(h -> !h.equalsIgnoreCase("NONE")).isPresent();
            assertTrue(inCompose || inImage, service + " runs for good but has no health check");
        }
    }

    /** Services that start no JVM: cassandra-users runs cqlsh (Python) once; Prometheus is Go. */
    private static final Set<String> NO_JVM = Set.of("cassandra-users", "prometheus");

    @Test
    void everyJavaServiceHasAnExplicitHeap() throws IOException {
        ComposeFile compose = ComposeFile.read(ROOT.resolve("compose.yaml"));
        for (String service : compose.services().keySet()) {
            Map<String, Object> s = compose.service(service);
            if (NO_JVM.contains(service)) {
                assertTrue(s.containsKey("mem_limit"), service + " has no memory limit");
                continue;
            }
            String launch = String.valueOf(s.get("command")) + " " + s.get("entrypoint");
            boolean explicit = launch.contains("-Xmx") || launch.contains("--driver-memory")
                    || compose.environment(service, "MAX_HEAP_SIZE").isPresent()
                    || compose.environment(service, "SPARK_DAEMON_MEMORY").isPresent();
            assertTrue(explicit, service + " starts a JVM with the default heap (a quarter of the host's memory)");
            assertTrue(s.containsKey("mem_limit"), service + " has no memory limit");
        }
    }

    private static String mount(ComposeFile compose, String service, String volume) {
        return compose.mountOf(service, volume)
                .orElseThrow(() -> new AssertionError(service + " does not mount the " + volume + " volume"));
    }

    private static void assertUnder(ComposeFile compose, String service, String variable, String mount) {
        String value = compose.environment(service, variable)
                .orElseThrow(() -> new AssertionError(service + " does not set " + variable));
        assertTrue(Path.of(value).startsWith(mount), service + ": " + variable + "=" + value + " is not on the volume at " + mount);
    }

    private static List<Path> deploymentFiles() throws IOException {
        List<Path> files = new ArrayList<>(DeploymentFilesTest.dockerfiles());
        files.add(ROOT.resolve("compose.yaml"));
        files.add(ROOT.resolve("docker/submit"));
        files.add(ROOT.resolve("docker/spark-secret"));
        return files;
    }

    private static List<Path> sourceRoots() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
    }
}
