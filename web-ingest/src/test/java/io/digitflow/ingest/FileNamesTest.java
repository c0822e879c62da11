package io.digitflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

class FileNamesTest {
    @Test
    void bidiOverridesZeroWidthAndSeparatorsAreRemoved() {
        // "invoice‮gnp.exe" shows as "invoiceexe.png" in a right-to-left override.
        assertEquals("invoicegnp.exe", FileNames.display("invoice\u202Egnp.exe"));
        assertEquals("abc.png", FileNames.display("a\u2066b\u2069c\u200B\u200C\u200D\u2060\uFEFF.png"));
        assertEquals("linebreak.png", FileNames.display("line\u2028break\u2029.png"));
        assertEquals("tabbell.png", FileNames.display("tab\tbell\u0007\u0085.png"));
        assertEquals("softhyphen.png", FileNames.display("soft\u00ADhyphen.png"));
    }

    @Test
    void namesAreNfc() {
        String decomposed = "Cafe\u0301 \u212B.png"; // e + combining acute; the Ångström sign
        String name = FileNames.display(decomposed);
        assertEquals("Caf\u00E9 \u00C5.png", name);
        assertTrue(Normalizer.isNormalized(name, Normalizer.Form.NFC));
        // Removing a zero-width joiner between e and its accent must still give the composed é.
        assertEquals("\u00E9.png", FileNames.display("e\u200D\u0301.png"));
    }

    @Test
    void plainNamesAreKeptAndEmptyOnesGetADefault() {
        assertEquals("数字 ✓.png", FileNames.display("数字 ✓.png"));
        assertEquals("../../etc/passwd.png", FileNames.display("../../etc/passwd.png"), "a name is data, never a path");
        assertEquals("upload", FileNames.display("\u202E\u200B "));
        assertEquals("upload", FileNames.display(null));
        assertEquals(255, FileNames.display("x".repeat(1000)).length());
        assertEquals(255, FileNames.display("😀".repeat(300)).codePoints().count(), "bounded in code points, not UTF-16 units");
    }
}
