package io.digitflow.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The named stages of a multi-stage Dockerfile, with the instructions each one adds: enough to
 * ask what a build target runs as and whether it carries a health check (the linter checks syntax,
 * not these policies). Continuation lines are joined; heredoc bodies are skipped.
 */
record DockerfileStages(Map<String, Stage> stages) {

    /** One {@code FROM base AS name} block. */
    record Stage(String name, String base, List<String> instructions) {
        Optional<String> last(String keyword) {
            String prefix = keyword.toUpperCase(Locale.ROOT) + " ";
            return instructions.stream().filter(i -> i.startsWith(prefix)).reduce((a, b) -> b)
                    .map(i -> i.substring(prefix.length()).strip());
        }
    }

    static DockerfileStages read(Path dockerfile) throws IOException {
        Map<String, Stage> stages = new LinkedHashMap<>();
        List<String> current = null;
        String heredocEnd = null;
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            if (heredocEnd != null) {
                if (line.strip().equals(heredocEnd)) {
                    heredocEnd = null;
                }
                continue;
            }
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            pending.append(line.strip());
            if (line.endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                pending.append(' ');
                continue;
            }
            String instruction = pending.toString();
            pending.setLength(0);
            int heredoc = instruction.indexOf("<<");
            if (heredoc >= 0) {
                heredocEnd = instruction.substring(heredoc + 2).replaceAll("[-'\"]", "").split("\\s")[0];
            }
            String[] words = instruction.split("\\s+");
            if (words[0].equalsIgnoreCase("FROM")) {
                String name = words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : "#" + stages.size();
                current = new ArrayList<>();
                stages.put(name, new Stage(name, words[1], current));
            } else if (current != null) {
                current.add(words[0].toUpperCase(Locale.ROOT) + instruction.substring(words[0].length()));
            }
        }
        return new DockerfileStages(stages);
    }

    Stage stage(String name) {
        Stage stage = stages.get(name);
        if (stage == null) {
            throw new AssertionError("the Dockerfile has no stage named " + name + " (stages: " + stages.keySet() + ")");
        }
        return stage;
    }

    /** The latest value of an inherited setting (USER, HEALTHCHECK) along the stage's FROM chain within this file. */
    Optional<String> effective(String stageName, String keyword) {
        Stage stage = stage(stageName);
        Optional<String> own = stage.last(keyword);
        if (own.isPresent() || !stages.containsKey(stage.base())) {
            return own;
        }
        return effective(stage.base(), keyword);
    }
}
