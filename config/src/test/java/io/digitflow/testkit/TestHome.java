package io.digitflow.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root the tests run in (surefire sets {@code digitflow.home}). */
public final class TestHome {
    private TestHome() {
    }

    public static Path root() {
        String home = System.getProperty("digitflow.home");
        Path root = Path.of(home != null ? home : "..").toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("bin/digitflow"))) {
            throw new IllegalStateException("cannot find the digitflow repository root (bin/digitflow) from " + root
                    + "; run the tests through Maven from the repository (bin/digitflow test)");
        }
        return root;
    }
}
