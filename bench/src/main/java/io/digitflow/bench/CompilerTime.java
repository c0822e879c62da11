package io.digitflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds another JVM's JIT compiler threads have used (from /proc): how a benchmark tells
 * that a JVM is warm. Spark runs thousands of distinct methods per micro-batch, and on two cores
 * the C2 compiler thread kept a fifth to a third of the machine busy for the first ~40 s of a
 * loaded stream; a throughput measured in that time is the JIT's, not the pipeline's.
 */
final class CompilerTime {
    /** Linux's {@code comm} is cut to 15 characters: "C2 CompilerThre", "C1 CompilerThre". */
    private static final String COMPILER_THREAD = "CompilerThre";
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux build in use
    /**
     * A JVM counts as warm once its compilers used less than this share of a core over a warm-up
     * round. Not zero: Spark runs so much code per micro-batch that C2 still finds lukewarm methods
     * to compile after 30,000 files. At 0.25 the stream still compiled for 1–2.6 CPU-s during its
     * measured 10,000 files and ran 25–40% more CPU per file on some runs than on others.
     */
    static final double SETTLED_SHARE = 0.10;
    /** Warm-up rounds at most, whatever the compilers do. */
    static final int MAX_WARM_UP_ROUNDS = 25;

    private final Path tasks;

    CompilerTime(long pid) {
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
    }

    /** utime + stime of the compiler threads, in seconds (0 where /proc is not available). */
    double seconds() {
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.mapToLong(CompilerTime::compilerTicks).sum() / TICKS_PER_SECOND;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long compilerTicks(Path thread) {
        try {
            if (!Files.readString(thread.resolve("comm")).contains(COMPILER_THREAD)) {
                return 0;
            }
            String stat = Files.readString(thread.resolve("stat"));
            // Fields after the parenthesised name: state is the 1st, utime the 12th, stime the 13th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended between the listing and the read
        }
    }
}
