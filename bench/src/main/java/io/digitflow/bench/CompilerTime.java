package io.digitflow.bench;

/**
 * CPU seconds another JVM's JIT compiler threads have used (from /proc): how a benchmark tells
 * that a JVM is warm. Spark runs thousands of distinct methods per micro-batch, and on two cores
 * the C2 compiler thread kept a fifth to a third of the machine busy for the first ~40 s of a
 * loaded stream; a throughput measured in that time is the JIT's, not the pipeline's.
 */
final class CompilerTime {
    /** Linux's {@code comm} is cut to 15 characters: "C2 CompilerThre", "C1 CompilerThre". */
    private static final String COMPILER_THREAD = "CompilerThre";
    /**
     * A JVM counts as warm once its compilers used less than this share of a core over a warm-up
     * round. Not zero: Spark runs so much code per micro-batch that C2 still finds lukewarm methods
     * to compile after 30,000 files. At 0.25 the stream still compiled for 1–2.6 CPU-s during its
     * measured 10,000 files and ran 25–40% more CPU per file on some runs than on others.
     */
    static final double SETTLED_SHARE = 0.10;
    /** Warm-up rounds at most, whatever the compilers do. */
    static final int MAX_WARM_UP_ROUNDS = 25;

    private final ProcessCpu process;

    CompilerTime(long pid) {
        this.process = new ProcessCpu(pid);
    }

    /** One unmeasured round of a warm-up. */
    @FunctionalInterface
    interface Round {
        void run(int round) throws Exception;
    }

    /**
     * The one warm-up rule of the stream and the baseline: {@code round} is run until the
     * compilers used less than {@link #SETTLED_SHARE} of a core over a round, or {@code maxRounds}
     * times; each round prints {@code <label> round=R files=F seconds=S compiler_share=C}.
     *
     * @param files what one round handles, for the printed line
     */
    void warmUp(String label, int files, int maxRounds, Round round) throws Exception {
        for (int r = 0; r < maxRounds; r++) {
            double compilerBefore = seconds();
            long start = System.nanoTime();
            round.run(r);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double share = (seconds() - compilerBefore) / elapsed;
            System.out.printf("%s round=%d files=%d seconds=%.2f compiler_share=%.2f%n", label, r + 1, files, elapsed, share);
            if (share < SETTLED_SHARE) {
                return;
            }
        }
    }

    /** utime + stime of the compiler threads, in seconds (0 where /proc is not available). */
    double seconds() {
        return process.byThreadKind().entrySet().stream()
                .filter(kind -> kind.getKey().contains(COMPILER_THREAD))
                .mapToDouble(kind -> kind.getValue().seconds())
                .sum();
    }
}
