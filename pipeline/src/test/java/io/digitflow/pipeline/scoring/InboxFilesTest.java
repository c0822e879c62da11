package io.digitflow.pipeline.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files, links, FIFOs and a sparse 3 GiB file: each read or refused without following a link or reading too much. */
class InboxFilesTest {
    private static final long LIMIT = 10 << 20;

    @TempDir
    Path root;
    @TempDir
    Path elsewhere;

    private InboxFiles.Refused refused(Path file) {
        return assertInstanceOf(InboxFiles.Refused.class, InboxFiles.read(root, file, LIMIT));
    }

    @Test
    void aRegularFileIsReadWhole() throws Exception {
        Path file = Files.write(Files.createDirectories(root.resolve("a/b")).resolve("x.png"), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, assertInstanceOf(InboxFiles.Bytes.class, InboxFiles.read(root, file, LIMIT)).content());
    }

    @Test
    void aHugeFileIsRefusedFromItsLengthAlone() throws Exception {
        Path huge = root.resolve("huge.png");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB long, nothing on disk
        }
        InboxFiles.Refused r = refused(huge);
        assertEquals(FileRefusal.TOO_LARGE, r.reason());
        assertTrue(r.detail().contains("3,221,225,472 bytes"), r.detail());
    }

    @Test
    void linksAreNeverFollowedWhereverTheyPoint() throws Exception {
        Path target = Files.write(elsewhere.resolve("mine.png"), new byte[] {9});
        Path fileLink = Files.createSymbolicLink(root.resolve("link.png"), target);
        Files.createSymbolicLink(root.resolve("folder"), elsewhere);
        Path dangling = Files.createSymbolicLink(root.resolve("dangling.png"), elsewhere.resolve("gone.png"));
        Path loop = Files.createSymbolicLink(root.resolve("loop.png"), root.resolve("loop.png"));
        Path device = Files.createSymbolicLink(root.resolve("zero.png"), Path.of("/dev/zero"));

        for (Path link : new Path[] {fileLink, dangling, loop, device}) {
            assertEquals(FileRefusal.NOT_A_REGULAR_FILE, refused(link).reason(), link.toString());
            assertEquals(link, InboxFiles.entryOf(root, link), "the link itself is what gets moved");
        }
        Path throughFolder = root.resolve("folder/mine.png");
        InboxFiles.Refused r = refused(throughFolder);
        assertEquals(FileRefusal.NOT_A_REGULAR_FILE, r.reason());
        assertTrue(r.detail().contains("folder"), r.detail());
        assertEquals(root.resolve("folder"), InboxFiles.entryOf(root, throughFolder));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target), "the target is untouched");
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = root.resolve("pipe.png");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // Opening a FIFO with no writer would block for ever: the refusal must come from its attributes.
        assertEquals(FileRefusal.NOT_A_REGULAR_FILE, refused(fifo).reason());
    }

    @Test
    void aFileThatIsGoneIsNeitherReadNorRefused() {
        assertInstanceOf(InboxFiles.Gone.class, InboxFiles.read(root, root.resolve("moved-away.png"), LIMIT));
    }
}
