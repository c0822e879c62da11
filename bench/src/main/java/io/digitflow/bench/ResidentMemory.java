package io.digitflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory (VmRSS from /proc) of another process, e.g. the stream's JVM. */
final class ResidentMemory {
    private final Path status;

    ResidentMemory(long pid) {
        this.status = Path.of("/proc", Long.toString(pid), "status");
    }

    long kilobytes() {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException(status + " has no VmRSS line");
        } catch (IOException e) {
            throw new UncheckedIOException("the measured process is gone (" + status + ")", e);
        }
    }

    /** Mean and maximum of samples. */
    static final class Stats {
        private long count;
        private long sum;
        private long max;

        void add(long kilobytes) {
            count++;
            sum += kilobytes;
            max = Math.max(max, kilobytes);
        }

        long count() {
            return count;
        }

        double meanMb() {
            return count == 0 ? 0 : sum / (double) count / 1024;
        }

        double maxMb() {
            return max / 1024.0;
        }
    }
}
