package io.digitflow.deploy;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the parts of a base image stop getting security fixes: Node.js majors (end of maintenance
 * LTS) and Debian / Ubuntu releases named in a tag (end of LTS / standard support). Dates from the
 * projects' published schedules; a tag naming none of these has no known end here.
 */
record EndOfLife(String what, LocalDate date) {
    private static final Map<Integer, LocalDate> NODE = Map.of(
            16, LocalDate.of(2023, 9, 11), 18, LocalDate.of(2025, 4, 30), 20, LocalDate.of(2026, 4, 30),
            22, LocalDate.of(2027, 4, 30), 24, LocalDate.of(2028, 4, 30));
    private static final Map<String, LocalDate> DISTRIBUTIONS = Map.of(
            "buster", LocalDate.of(2024, 6, 30), "bullseye", LocalDate.of(2026, 8, 31), "bookworm", LocalDate.of(2028, 6, 30),
            "trixie", LocalDate.of(2030, 6, 30), "bionic", LocalDate.of(2023, 5, 31), "focal", LocalDate.of(2025, 5, 31),
            "jammy", LocalDate.of(2027, 5, 31), "noble", LocalDate.of(2029, 5, 31));
    private static final Pattern NODE_TAG = Pattern.compile("^node:(\\d+)");

    /** The earliest end among the image's parts this knows, if any. */
    static Optional<EndOfLife> of(String image) {
        Optional<EndOfLife> earliest = Optional.empty();
        Matcher node = NODE_TAG.matcher(image);
        if (node.find() && NODE.containsKey(Integer.parseInt(node.group(1)))) {
            earliest = Optional.of(new EndOfLife("Node.js " + node.group(1), NODE.get(Integer.parseInt(node.group(1)))));
        }
        for (var d : DISTRIBUTIONS.entrySet()) {
            if (image.contains(d.getKey())) {
                EndOfLife e = new EndOfLife(d.getKey(), d.getValue());
                earliest = earliest.isEmpty() || e.date().isBefore(earliest.get().date()) ? Optional.of(e) : earliest;
            }
        }
        return earliest;
    }
}
