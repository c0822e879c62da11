package io.digitflow.ingest;

import java.text.Normalizer;

/**
 * The client's file name as it is kept: only ever data (shown, stored), never a path. Characters
 * that change how text around them is shown are removed: controls, format characters (bidi
 * overrides and isolates, zero-width characters, soft hyphens) and line and paragraph separators,
 * so a name cannot pose as another or break a line in a log or a table. NFC, so one name looks
 * and compares the same whichever way the client composed it.
 */
final class FileNames {
    static final int MAX_CODE_POINTS = 255;
    static final String UNNAMED = "upload";

    private FileNames() {
    }

    static String display(String raw) {
        StringBuilder kept = new StringBuilder();
        (raw == null ? "" : raw).codePoints().filter(FileNames::isKept).forEach(kept::appendCodePoint);
        String nfc = Normalizer.normalize(kept, Normalizer.Form.NFC);
        StringBuilder bounded = new StringBuilder();
        nfc.codePoints().limit(MAX_CODE_POINTS).forEach(bounded::appendCodePoint);
        String name = bounded.toString().strip();
        return name.isEmpty() ? UNNAMED : name;
    }

    static boolean isKept(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> false;
            default -> true;
        };
    }
}
