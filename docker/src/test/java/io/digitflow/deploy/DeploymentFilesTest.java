package io.digitflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.testkit.TestHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose.yaml and the Dockerfiles under docker/ pass their linters (there is no Docker engine to
 * build or start them here), and the same linters reject a copy with one mistake in it, so a pass
 * means the files were really checked.
 */
class DeploymentFilesTest {
    private static final Path ROOT = TestHome.root();

    @Test
    void composeFileIsValidAgainstTheComposeSchemaWithoutWarnings() {
        Linter.Result result = Linter.DCLINT.check(ROOT, ROOT.resolve("compose.yaml"));
        assertEquals(0, result.exitCode(), "dclint compose.yaml:\n" + result.output());
    }

    @Test
    void everyDockerfileLintsClean() throws IOException {
        List<Path> dockerfiles = dockerfiles();
        assertFalse(dockerfiles.isEmpty(), "no Dockerfile under docker/");
        for (Path dockerfile : dockerfiles) {
            Linter.Result result = Linter.DOCKERFILE_UTILS.check(ROOT, dockerfile);
            assertTrue(result.clean(), "dockerfile-utils lint " + ROOT.relativize(dockerfile) + " (exit "
                    + result.exitCode() + "):\n" + result.output());
        }
    }

    @Test
    void dclintRejectsAComposeFileWithAnUnknownServiceKey(@TempDir Path dir) throws IOException {
        String compose = Files.readString(ROOT.resolve("compose.yaml"));
        String broken = replaceOnce(compose, "\n  web:\n", "\n  web:\n    replicas: 2\n");
        Path copy = Files.writeString(dir.resolve("compose.yaml"), broken);

        Linter.Result result = Linter.DCLINT.check(ROOT, copy);

        assertNotEquals(0, result.exitCode(), "dclint accepted an unknown key:\n" + result.output());
        assertTrue(result.output().contains("invalid-schema") && result.output().contains("/services/web"), result.output());
    }

    @Test
    void dockerfileUtilsRejectsADockerfileWithAnUnknownInstruction(@TempDir Path dir) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        Path copy = Files.writeString(dir.resolve("Dockerfile"), replaceOnce(dockerfile, "\nHEALTHCHECK ", "\nHEALTHCHEK "));

        Linter.Result result = Linter.DOCKERFILE_UTILS.check(ROOT, copy);

        assertNotEquals(0, result.exitCode(), "dockerfile-utils accepted HEALTHCHEK:\n" + result.output());
        assertTrue(result.output().contains("HEALTHCHEK"), result.output());
    }

    static List<Path> dockerfiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("docker"))) {
            return files.filter(p -> !p.startsWith(ROOT.resolve("docker/target")))
                    .filter(p -> p.getFileName().toString().matches("Dockerfile(\\..+)?|.+\\.Dockerfile"))
                    .sorted()
                    .toList();
        }
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        assertTrue(at >= 0, "the file no longer contains " + target.strip() + ": update this test's mutation");
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }
}
