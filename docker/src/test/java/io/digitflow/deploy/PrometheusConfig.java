package io.digitflow.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** conf/prometheus/prometheus.yml as data: its rule files and, by job name, what each job scrapes and how it logs in. */
record PrometheusConfig(List<String> ruleFiles, Map<String, Job> jobs) {

    /**
     * @param credentialsFile the file the job's {@code authorization} reads its credentials from, if any
     * @param inlineCredentials whether the credentials are written into the configuration itself
     */
    record Job(List<String> targets, Optional<String> credentialsFile, boolean inlineCredentials) {
    }

    @SuppressWarnings("unchecked")
    static PrometheusConfig read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            Map<String, Job> jobs = new LinkedHashMap<>();
            for (Map<String, Object> scrape : (List<Map<String, Object>>) document.getOrDefault("scrape_configs", List.of())) {
                List<String> targets = new ArrayList<>();
                for (Map<String, Object> s : (List<Map<String, Object>>) scrape.getOrDefault("static_configs", List.of())) {
                    ((List<Object>) s.getOrDefault("targets", List.of())).forEach(t -> targets.add(String.valueOf(t)));
                }
                Map<String, Object> authorization = (Map<String, Object>) scrape.getOrDefault("authorization", Map.of());
                Map<String, Object> basic = (Map<String, Object>) scrape.getOrDefault("basic_auth", Map.of());
                boolean inline = authorization.containsKey("credentials") || scrape.containsKey("bearer_token") || basic.containsKey("password");
                jobs.put(String.valueOf(scrape.get("job_name")), new Job(targets,
                        Optional.ofNullable(authorization.get("credentials_file")).map(String::valueOf), inline));
            }
            return new PrometheusConfig(((List<Object>) document.getOrDefault("rule_files", List.of())).stream().map(String::valueOf).toList(), jobs);
        }
    }

    Job job(String name) {
        Job job = jobs.get(name);
        if (job == null) {
            throw new AssertionError("conf/prometheus/prometheus.yml has no job " + name + " (jobs: " + jobs.keySet() + ")");
        }
        return job;
    }
}
