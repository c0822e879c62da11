package io.digitflow.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** compose.yaml as data (anchors and {@code <<} merges resolved), for checks the schema cannot express. */
record ComposeFile(Map<String, Map<String, Object>> services, Map<String, Map<String, Object>> networks,
        Map<String, Map<String, Object>> secrets) {

    @SuppressWarnings("unchecked")
    static ComposeFile read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return new ComposeFile((Map<String, Map<String, Object>>) document.get("services"),
                    orEmpty((Map<String, Map<String, Object>>) document.get("networks")),
                    orEmpty((Map<String, Map<String, Object>>) document.get("secrets")));
        }
    }

    private static Map<String, Map<String, Object>> orEmpty(Map<String, Map<String, Object>> m) {
        Map<String, Map<String, Object>> copy = new java.util.LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> copy.put(k, v == null ? Map.of() : v));
        }
        return copy;
    }

    /** A list-valued key of a service (networks, secrets, tmpfs, volumes, cap_drop...) as strings; empty when absent. */
    List<String> list(String service, String key) {
        Object value = service(service).get(key);
        if (value instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        if (value instanceof Map<?, ?> m) {
            return m.keySet().stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    /** The services attached to a network. */
    java.util.Set<String> membersOf(String network) {
        java.util.Set<String> members = new java.util.TreeSet<>();
        services.keySet().forEach(s -> {
            if (list(s, "networks").contains(network)) {
                members.add(s);
            }
        });
        return members;
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = services.get(name);
        if (service == null) {
            throw new AssertionError("compose.yaml has no service " + name + " (services: " + services.keySet() + ")");
        }
        return service;
    }

    /** Where the named volume is mounted in the service, if it is. */
    Optional<String> mountOf(String service, String volume) {
        Object volumes = service(service).get("volumes");
        if (!(volumes instanceof List<?> list)) {
            return Optional.empty();
        }
        return list.stream().map(String::valueOf).filter(v -> v.startsWith(volume + ":"))
                .map(v -> v.split(":")[1]).findFirst();
    }

    @SuppressWarnings("unchecked")
    Optional<String> environment(String service, String variable) {
        Object environment = service(service).get("environment");
        return environment instanceof Map<?, ?> map
                ? Optional.ofNullable(((Map<String, Object>) map).get(variable)).map(String::valueOf)
                : Optional.empty();
    }

    /** The Dockerfile stage the service is built from, if it is built here. */
    Optional<String> buildTarget(String service) {
        return service(service).get("build") instanceof Map<?, ?> build
                ? Optional.ofNullable(build.get("target")).map(String::valueOf)
                : Optional.empty();
    }

    boolean isOneOff(String service) {
        Map<String, Object> s = service(service);
        return s.containsKey("profiles") || "no".equals(String.valueOf(s.get("restart")));
    }
}
