package io.digitflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU seconds a process has used, whole and by thread kind (from /proc): where a benchmark's
 * time went on a box whose two cores the measured JVM shares with the Cassandra node.
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux build in use
    private static final long WATCH_MILLIS = 500;

    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    /**
     * Watches a process another command started until it exits, then prints
     * {@code <label> cpu process_s=P cassandra_s=C by thread: ...} as of its last reading (every
     * {@value #WATCH_MILLIS} ms): the process counted from its start, the node named by
     * BENCH_CASSANDRA_PID from the watch's start.
     *
     * <pre>ProcessCpu PID LABEL</pre>
     */
    public static void main(String[] args) throws InterruptedException {
        ProcessCpu process = new ProcessCpu(Long.parseLong(args[0]));
        Usage usage = Usage.fromStart(process, fromEnvironment("BENCH_CASSANDRA_PID"));
        ProcessHandle handle = ProcessHandle.of(process.pid).orElse(null);
        String last = usage.since();
        while (handle != null && handle.isAlive()) {
            String now = usage.since();
            if (handle.isAlive()) { // a reading taken while it exited would count it at zero
                last = now;
            }
            Thread.sleep(WATCH_MILLIS);
        }
        System.out.printf("%s cpu %s%n", args[1], last);
    }

    static ProcessCpu self() {
        return new ProcessCpu(ProcessHandle.current().pid());
    }

    /** The process a variable names by its pid (the bench scripts' own Cassandra node), or null. */
    static ProcessCpu fromEnvironment(String variable) {
        String pid = System.getenv(variable);
        return pid == null || pid.isBlank() ? null : new ProcessCpu(Long.parseLong(pid.trim()));
    }

    /** utime + stime of the whole process, in seconds (0 where /proc is not available). */
    double seconds() {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) / TICKS_PER_SECOND;
    }

    /** The threads of one kind: their CPU seconds and how many there are. */
    record Kind(double seconds, int threads) {
        Kind plus(Kind other) {
            return new Kind(seconds + other.seconds, threads + other.threads);
        }
    }

    /**
     * CPU by thread kind: each thread's name (Linux cuts it to 15 characters) with its digits left
     * out, so that "Executor task launch worker-3" and "-4" count together. Native threads (OpenMP's,
     * say) carry the name of the thread that started them.
     */
    Map<String, Kind> byThreadKind() {
        Map<String, Kind> kinds = new TreeMap<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            threads.forEach(thread -> {
                try {
                    String kind = Files.readString(thread.resolve("comm")).trim().replaceAll("[0-9]+", "N");
                    kinds.merge(kind, new Kind(ticks(thread.resolve("stat")) / TICKS_PER_SECOND, 1), Kind::plus);
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            });
        } catch (IOException e) {
            // no /proc: no breakdown
        }
        return kinds;
    }

    /**
     * Seconds by thread kind used between two {@link #byThreadKind} readings, largest first, as
     * {@code "kind"=seconds(threads now) ...}.
     */
    private static String difference(Map<String, Kind> before, Map<String, Kind> after) {
        StringBuilder line = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new Kind(e.getValue().seconds()
                        - before.getOrDefault(e.getKey(), new Kind(0, 0)).seconds(), e.getValue().threads())))
                .filter(e -> e.getValue().seconds() >= 0.05)
                .sorted((a, b) -> Double.compare(b.getValue().seconds(), a.getValue().seconds()))
                .forEach(e -> line.append(String.format(" \"%s\"=%.2f(%d)", e.getKey(), e.getValue().seconds(), e.getValue().threads())));
        return line.toString().trim();
    }

    /** CPU used from a moment on by a process and, if one is named, the Cassandra node. */
    static final class Usage {
        private final ProcessCpu process;
        private final ProcessCpu node;
        private final double processBefore;
        private final double nodeBefore;
        private final Map<String, Kind> threadsBefore;

        private Usage(ProcessCpu process, ProcessCpu node, boolean fromProcessStart) {
            this.process = process;
            this.node = node;
            this.threadsBefore = fromProcessStart ? Map.of() : process.byThreadKind();
            this.processBefore = fromProcessStart ? 0 : process.seconds();
            this.nodeBefore = node == null ? 0 : node.seconds();
        }

        /** From now on. @param node the Cassandra node, or null */
        static Usage from(ProcessCpu process, ProcessCpu node) {
            return new Usage(process, node, false);
        }

        /** The process from its start, the node from now on. @param node the Cassandra node, or null */
        static Usage fromStart(ProcessCpu process, ProcessCpu node) {
            return new Usage(process, node, true);
        }

        /** What was used since: {@code process_s=P cassandra_s=C by thread: ...} (see {@link ProcessCpu#difference}). */
        String since() {
            return String.format("process_s=%.2f cassandra_s=%.2f by thread: %s", process.seconds() - processBefore,
                    node == null ? 0 : node.seconds() - nodeBefore, difference(threadsBefore, process.byThreadKind()));
        }
    }

    /** utime + stime in a /proc stat file, in clock ticks: the 12th and 13th fields after the parenthesised name. */
    private static long ticks(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
