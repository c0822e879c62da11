package io.digitflow.ingest;

import io.digitflow.testkit.TestHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Many uploads from concurrent clients on loopback, with the stream running: every upload must be
 * accepted (202, no 5xx) and scored exactly once. Prints accepted uploads/s and the scoring drain
 * time. Baseline in the same run: the same images written straight into the inbox by as many
 * threads (no HTTP), checked the same way.
 *
 * <pre>bench/web-load.sh [N=2000] [CLIENTS=20] [MODELS_DIR=models]</pre>
 */
public final class WebLoadBenchmark {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(600);

    private WebLoadBenchmark() {
    }

    /** One way of delivering the images, measured: how fast they were accepted, how long until all were scored. */
    record Phase(String name, UploadLoad.Outcome outcome, long drainedNanos, long filesScored, List<String> problems) {
        double drainSeconds() {
            return (drainedNanos - outcome.lastEndNanos()) / 1e9;
        }

        double endToEndSeconds() {
            return (drainedNanos - outcome.firstStartNanos()) / 1e9;
        }

        boolean exactlyOnce(int n) {
            return outcome.acceptedIds().size() == n && filesScored == n && problems.isEmpty();
        }

        String row() {
            return String.format("  %-24s %8.0f/s %14s %9.1f s %11.1f s %9.0f/s %8d   %s", name, outcome.acceptedPerSecond(),
                    outcome.statusCounts(), drainSeconds(), endToEndSeconds(), outcome.acceptedIds().size() / endToEndSeconds(),
                    filesScored, problems.isEmpty() ? "none" : problems.size() + ", e.g. " + problems.get(0));
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path models = TestHome.root().resolve(args.length > 2 ? args[2] : "models");
        CanvasDigits digits = CanvasDigits.first(n);
        List<byte[]> pngs = digits.pngs();
        try (WebBenchSystem system = WebBenchSystem.start("web-load", models)) {
            int warmup = Math.min(n, 2 * clients);
            measure(system, "warm-up", () -> UploadLoad.run(system.base(), pngs.subList(0, warmup), clients, SEND_TIMEOUT));

            DirectDrop direct = new DirectDrop(system.stream().inbox());
            Phase inbox = measure(system, "baseline: inbox writes",
                    () -> UploadLoad.run(clients, SEND_TIMEOUT, n, () -> i -> direct.drop(i, pngs.get(i))));
            Phase web = measure(system, "HTTP POST /api/images", () -> UploadLoad.run(system.base(), pngs, clients, SEND_TIMEOUT));

            double meanKb = pngs.stream().mapToInt(b -> b.length).average().orElse(0) / 1024;
            System.out.printf("%n%d uploads from %d concurrent clients on loopback (280×280 canvas PNGs, %.1f KB on average), stream running%n",
                    n, clients, meanKb);
            System.out.printf("  %-24s %10s %14s %11s %13s %11s %8s   %s%n", "", "accepted", "statuses", "drain¹", "end to end²",
                    "scored/s²", "scored³", "problems⁴");
            System.out.println(inbox.row());
            System.out.println(web.row());
            System.out.printf("  ratio HTTP / baseline: accepted/s %.2f, drain %.2f, end to end %.2f%n",
                    web.outcome().acceptedPerSecond() / inbox.outcome().acceptedPerSecond(), web.drainSeconds() / inbox.drainSeconds(),
                    web.endToEndSeconds() / inbox.endToEndSeconds());
            System.out.println("  ¹ last upload accepted → every result visible; ² first upload sent → every result visible;");
            System.out.println("  ³ files the stream reports scored in that phase; ⁴ ids without exactly one row per table or without 200 from GET");
            boolean no5xx = web.outcome().statusCounts().keySet().stream().noneMatch(s -> s >= 500 || s < 0);
            System.out.printf("  targets: all %d accepted, no 5xx: %s; all scored exactly once: %s%n", n,
                    web.outcome().acceptedIds().size() == n && no5xx ? "yes" : "NO", web.exactlyOnce(n) ? "yes" : "NO");
            System.out.println("  logs: " + system.work());
        }
    }

    /** Sends a phase's uploads, waits until every accepted one is scored, then checks rows, API answers and the stream's own count. */
    static Phase measure(WebBenchSystem system, String name, Callable<UploadLoad.Outcome> send) throws Exception {
        long scoredBefore = system.stream().filesScored();
        UploadLoad.Outcome outcome = send.call();
        List<UUID> ids = outcome.acceptedIds();
        ScoringCheck check = new ScoringCheck(system.session(), system.base());
        long drained = check.awaitPredictions(ids, DRAIN_TIMEOUT);
        List<String> problems = check.problems(ids, Duration.ofSeconds(30));
        // The stream logs a batch after its rows are written: give the last line a moment.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (system.stream().filesScored() - scoredBefore < ids.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Phase phase = new Phase(name, outcome, drained, system.stream().filesScored() - scoredBefore, problems);
        System.out.println(phase.row());
        return phase;
    }
}
