package io.digitflow.pipeline.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The batch report: {@code file,predicted,confidence,model_version,status}, RFC 4180 quoting. Text
 * cells are neutralised against formula injection: file names are anyone's input, and a
 * spreadsheet would run {@code =HYPERLINK(...)} found in one.
 */
public final class CsvReport {
    static final String HEADER = "file,predicted,confidence,model_version,status";

    private CsvReport() {
    }

    /** @param rows (image_name, predicted, confidence, model_version, status, reason), sorted by file */
    static void write(Path file, List<Row> rows) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                out.write(HEADER + "\n");
                for (Row r : rows) {
                    boolean ok = "ok".equals(r.getString(4));
                    out.write(cell(r.getString(0)) + ","
                            + (ok ? r.getInt(1) : "") + ","
                            + (ok ? String.format(java.util.Locale.ROOT, "%.4f", r.getFloat(2)) : "") + ","
                            + cell(r.getString(3)) + ","
                            + (ok ? "ok" : "rejected:" + r.getString(5)) + "\n");
                }
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * A text cell as written: a leading {@code '} when it starts with a character spreadsheets read
     * as a formula ({@code = + - @}, tab, carriage return; OWASP's rule), then RFC 4180 quoting.
     */
    static String cell(String text) {
        return quote(neutralised(text));
    }

    static String neutralised(String text) {
        if (!text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }

    private static final String FORMULA_STARTS = "=+-@\t\r";

    static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }
}
