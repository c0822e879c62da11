package io.digitflow.pipeline.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellFreeLocalFileSystemTest {
    @TempDir
    Path dir;

    @Test
    void unixModesMapToTheirNinePermissionBits() {
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), ShellFreeLocalFileSystem.posix((short) 0644));
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"), ShellFreeLocalFileSystem.posix((short) 0750));
        assertEquals(PosixFilePermissions.fromString("-w---x-wx"), ShellFreeLocalFileSystem.posix((short) 0213));
        assertEquals(PosixFilePermissions.fromString("rwxrwxrwx"), ShellFreeLocalFileSystem.posix((short) 01777));
    }

    @Test
    void filesCreatedThroughHadoopGetTheRequestedPermissionsAndRenameInPlace() throws Exception {
        Configuration conf = new Configuration(false);
        conf.set("fs.file.impl", ShellFreeLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        try (FileSystem fs = FileSystem.get(dir.toUri(), conf)) {
            assertTrue(fs instanceof ShellFreeLocalFileSystem, fs.getClass().getName());
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
