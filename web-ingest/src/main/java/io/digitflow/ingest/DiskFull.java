package io.digitflow.ingest;

import java.util.Locale;

/**
 * Whether a failure is the file system being full (no space or no inodes left, ENOSPC, or a quota):
 * the server's trouble, answered 507, not the client's. Java reports it only as an IOException
 * with the system's message, so the message is what is looked at.
 */
final class DiskFull {
    private DiskFull() {
    }

    static boolean isCause(Throwable t) {
        return Causes.any(t, c -> {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            return m.contains("no space left on device") || m.contains("disk quota exceeded") || m.contains("not enough space");
        });
    }
}
