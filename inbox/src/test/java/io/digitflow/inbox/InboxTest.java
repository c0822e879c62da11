package io.digitflow.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxTest {
    @TempDir
    Path dir;

    @Test
    void anAcceptedUploadIsReadBackWithItsNameAndTime() throws Exception {
        Inbox inbox = new Inbox(dir);
        inbox.createDirectories();
        Upload upload = new Upload(UUID.randomUUID(), "my \"seven\", scanned.png", Instant.parse("2026-12-02T10:00:00.123Z"));
        Path part = Files.write(inbox.incoming().resolve("part"), new byte[] {1, 2, 3});
        assertFalse(inbox.isPending(upload.id()));

        inbox.accept(upload, part, "png");

        Path image = dir.resolve(upload.id() + ".png");
        assertTrue(Files.isRegularFile(image));
        assertFalse(Files.exists(part));
        assertTrue(inbox.isPending(upload.id()));
        assertEquals(Optional.of(upload), inbox.upload(image));
        try (var left = Files.list(inbox.incoming())) {
            assertEquals(0, left.count(), "no temporary sidecar left behind");
        }
    }

    @Test
    void filesThatAreNotUploadsHaveNoUpload() throws Exception {
        Inbox inbox = new Inbox(dir);
        inbox.createDirectories();
        UUID id = UUID.randomUUID();
        // An upload-like name without a sidecar, a corrupt sidecar, and an upload name in a subfolder.
        assertEquals(Optional.empty(), inbox.upload(dir.resolve(id + ".png")));
        Files.writeString(inbox.sidecarOf(id), "{\"id\": \"" + id + "\"");
        assertEquals(Optional.empty(), inbox.upload(dir.resolve(id + ".png")));
        Files.write(inbox.sidecarOf(id), new Upload(id, "x", Instant.EPOCH).toJson());
        assertTrue(inbox.upload(dir.resolve(id + ".png")).isPresent());
        assertEquals(Optional.empty(), inbox.upload(dir.resolve("sub").resolve(id + ".png")));
        // A sidecar naming another id does not make the file that upload.
        UUID other = UUID.randomUUID();
        Files.write(inbox.sidecarOf(id), new Upload(other, "someone else's", Instant.EPOCH).toJson());
        assertEquals(Optional.empty(), inbox.upload(dir.resolve(id + ".png")));
        assertEquals(Optional.empty(), inbox.upload(dir.resolve("holiday.png")));
    }

    @Test
    void derivedIdsDependOnPathAndContentOnly() {
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        byte[] b = "b".getBytes(StandardCharsets.UTF_8);
        assertEquals(Inbox.derivedId("x/y.png", a), Inbox.derivedId("x/y.png", a.clone()));
        assertNotEquals(Inbox.derivedId("x/y.png", a), Inbox.derivedId("x/y.png", b));
        assertNotEquals(Inbox.derivedId("x/y.png", a), Inbox.derivedId("x/z.png", a));
        assertEquals(3, Inbox.derivedId("x/y.png", a).version(), "a name-based UUID");
    }

    @Test
    void relativeNamesUseSlashesAndFallBackToTheFileName() {
        assertEquals("a/b c,d.png", Inbox.relativeName(dir, dir.resolve("a").resolve("b c,d.png")));
        assertEquals("e.png", Inbox.relativeName(dir, Path.of("/elsewhere/e.png")));
    }
}
