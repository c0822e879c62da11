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
record ComposeFile(Map<String, Map<String, Object>> services) {

    @SuppressWarnings("unchecked")
    static ComposeFile read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return new ComposeFile((Map<String, Map<String, Object>>) document.get("services"));
        }
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
