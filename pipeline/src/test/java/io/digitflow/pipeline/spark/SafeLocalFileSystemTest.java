package io.digitflow.pipeline.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeLocalFileSystemTest {
    @TempDir
    Path dir;

    @Test
    void unixModesMapToTheirNinePermissionBits() {
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), SafeLocalFileSystem.posix((short) 0644));
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"), SafeLocalFileSystem.posix((short) 0750));
        assertEquals(PosixFilePermissions.fromString("-w---x-wx"), SafeLocalFileSystem.posix((short) 0213));
        assertEquals(PosixFilePermissions.fromString("rwxrwxrwx"), SafeLocalFileSystem.posix((short) 01777));
    }

    @Test
    void listingNeverFollowsALinkAndNeverReportsAnEntryAsEmpty(@TempDir Path elsewhere) throws Exception {
        Files.write(elsewhere.resolve("mine.png"), new byte[] {1, 2, 3});
        Files.createSymbolicLink(dir.resolve("folder-link"), elsewhere);
        Files.createSymbolicLink(dir.resolve("dangling.png"), elsewhere.resolve("gone.png"));
        Files.write(dir.resolve("empty.png"), new byte[0]);
        Files.write(dir.resolve("scan 12:30, #1?.png"), new byte[] {4, 5});
        Configuration conf = new Configuration(false);
        conf.set("fs.file.impl", SafeLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        try (FileSystem fs = FileSystem.get(dir.toUri(), conf)) {
            java.util.Map<String, FileStatus> listed = new java.util.HashMap<>();
            for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(dir.toUri()))) {
                listed.put(s.getPath().getName(), s);
            }
            assertEquals(java.util.Set.of("folder-link", "dangling.png", "empty.png", "scan 12:30, #1?.png"), listed.keySet());
            assertTrue(listed.get("folder-link").isFile(), "a link to a folder is an entry of its own, not a folder to descend into");
            assertEquals(1, listed.get("folder-link").getLen());
            assertEquals(1, listed.get("empty.png").getLen(), "Spark drops zero-length files from its scans");
            assertEquals(2, listed.get("scan 12:30, #1?.png").getLen());
            assertEquals(dir.resolve("scan 12:30, #1?.png").toString(), listed.get("scan 12:30, #1?.png").getPath().toUri().getPath());
            // Listing the link itself (as Spark lists each file of a batch again) does not descend either.
            FileStatus[] again = fs.listStatus(listed.get("folder-link").getPath());
            assertEquals(1, again.length);
            assertTrue(again[0].isFile());
            // A link that cannot be followed is described, not missing.
            assertTrue(fs.getFileStatus(listed.get("dangling.png").getPath()).isFile());
        }
    }

    @Test
    void filesCreatedThroughHadoopGetTheRequestedPermissionsAndRenameInPlace() throws Exception {
        Configuration conf = new Configuration(false);
        conf.set("fs.file.impl", SafeLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        try (FileSystem fs = FileSystem.get(dir.toUri(), conf)) {
            assertTrue(fs instanceof SafeLocalFileSystem, fs.getClass().getName());
            org.apache.hadoop.fs.Path temp = new org.apache.hadoop.fs.Path(dir.resolve(".0.tmp").toUri());
            try (FSDataOutputStream out = fs.create(temp, new FsPermission((short) 0640), true, 4096, (short) 1, 1 << 20, null)) {
                out.write("v1\n{}".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(dir.resolve(".0.tmp")));
            assertTrue(fs.rename(temp, new org.apache.hadoop.fs.Path(dir.resolve("0").toUri())));
            assertEquals("v1\n{}", Files.readString(dir.resolve("0")));
            assertTrue(Files.notExists(dir.resolve(".0.crc")), "no checksum files beside the data");
        }
    }
}
