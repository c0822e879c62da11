package io.digitflow.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A notebook as Jupyter wrote it after running every cell: its outputs, read back from the .ipynb JSON. */
record ExecutedNotebook(Path file, List<JsonNode> outputs) {

    static ExecutedNotebook read(Path file) throws IOException {
        JsonNode notebook = new ObjectMapper().readTree(file.toFile());
        List<JsonNode> outputs = new ArrayList<>();
        for (JsonNode cell : notebook.path("cells")) {
            cell.path("outputs").forEach(outputs::add);
        }
        return new ExecutedNotebook(file, outputs);
    }

    /** Everything the cells printed on stdout, in order. */
    String printed() {
        StringBuilder text = new StringBuilder();
        for (JsonNode output : outputs) {
            if ("stream".equals(output.path("output_type").asText()) && "stdout".equals(output.path("name").asText())) {
                output.path("text").forEach(line -> text.append(line.asText()));
            }
        }
        return text.toString();
    }

    /** Lines of {@link #printed()} that start with {@code prefix}. */
    List<String> printedLines(String prefix) {
        return printed().lines().filter(l -> l.startsWith(prefix)).toList();
    }

    /** Outputs carrying a PNG image (charts and digit pictures). */
    long pngImages() {
        return outputs.stream().filter(o -> o.path("data").has("image/png")).count();
    }

    /** Outputs of cells that threw: nbconvert already fails then, this names them. */
    List<String> errors() {
        return outputs.stream().filter(o -> "error".equals(o.path("output_type").asText()))
                .map(o -> o.path("ename").asText() + ": " + o.path("evalue").asText()).toList();
    }
}
