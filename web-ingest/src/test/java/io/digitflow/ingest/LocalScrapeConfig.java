package io.digitflow.ingest;

import java.nio.file.Path;

/**
 * conf/prometheus/prometheus.yml as a test runs it: the shipped jobs, rules and token handling,
 * with this machine's ports for the compose host names, the token file and rules at their paths
 * here, and one-second intervals. Each substitution must match exactly once, so a changed file
 * makes the test say what to update rather than quietly scrape something else.
 */
final class LocalScrapeConfig {
    static final String WEB_TARGET = "web:5000";
    static final String STREAM_TARGET = "stream:9464";
    static final String TOKEN_FILE = "/run/secrets/web_token";

    private LocalScrapeConfig() {
    }

    static String of(String shipped, int webPort, int streamPort, Path tokenFile, Path rules) {
        String config = replaceOnce(shipped, "\"" + WEB_TARGET + "\"", "\"127.0.0.1:" + webPort + "\"");
        config = replaceOnce(config, "\"" + STREAM_TARGET + "\"", "\"127.0.0.1:" + streamPort + "\"");
        config = replaceOnce(config, "credentials_file: " + TOKEN_FILE, "credentials_file: " + tokenFile);
        config = replaceOnce(config, "\n  - alerts.yml\n", "\n  - " + rules + "\n");
        config = replaceOnce(config, "scrape_interval: 15s", "scrape_interval: 1s");
        return replaceOnce(config, "evaluation_interval: 15s", "evaluation_interval: 1s");
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0 || text.indexOf(target, at + 1) >= 0) {
            throw new AssertionError("conf/prometheus/prometheus.yml no longer contains " + target.strip()
                    + " exactly once: update LocalScrapeConfig");
        }
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }
}
