package io.digitflow.pipeline.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV cells a spreadsheet would run as formulas are written as text. */
class CsvReportTest {
    @Test
    void cellsStartingLikeAFormulaGetALeadingQuote() {
        assertEquals("'=HYPERLINK(\"http://evil.example\")", CsvReport.neutralised("=HYPERLINK(\"http://evil.example\")"));
        for (String formula : List.of("=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1")) {
            assertEquals("'" + formula, CsvReport.neutralised(formula), formula);
        }
        for (String plain : List.of("digit-7.png", "a=b.png", "7-2.png", "", "'quoted")) {
            assertEquals(plain, CsvReport.neutralised(plain), plain);
        }
    }

    @Test
    void neutralisedCellsAreStillQuotedAsRfc4180Says() {
        assertEquals("\"'=cmd|' /C calc'!A0,x\"", CsvReport.cell("=cmd|' /C calc'!A0,x"));
        assertEquals("\"'-2\"\"x\"\"\"", CsvReport.cell("-2\"x\""));
        assertEquals("\"'@a\nb\"", CsvReport.cell("@a\nb"));
        assertEquals("plain.png", CsvReport.cell("plain.png"));
    }

    @Test
    void theWrittenReportHoldsNoCellAFormulaCouldStartIn(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("report.csv");
        CsvReport.write(csv, List.of(
                RowFactory.create("=HYPERLINK(\"http://evil.example\",\"x\").png", 3, 0.9f, "v1", "ok", null),
                RowFactory.create("+cmd.png", null, null, "v1", "rejected", "no_ink"),
                RowFactory.create("ok.png", 7, 0.5f, "-v2", "ok", null)));
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(List.of(CsvReport.HEADER,
                "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\").png\",3,0.9000,v1,ok",
                "'+cmd.png,,,v1,rejected:no_ink",
                "ok.png,7,0.5000,'-v2,ok"), lines);
    }
}
