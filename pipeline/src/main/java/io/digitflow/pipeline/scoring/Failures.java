package io.digitflow.pipeline.scoring;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import io.digitflow.results.PredictionWriter.PredictionWriteException;

/** What a failed job says about its cause, in words an operator can act on. */
public final class Failures {
    private Failures() {
    }

    /**
     * Whether Cassandra (unreachable, timing out, refusing the write) is behind the failure: then
     * no input is to blame, and the work must wait for Cassandra instead of setting files aside.
     */
    public static boolean fromCassandra(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // The driver reports a lost control connection with a plain IllegalStateException.
            if (t instanceof DriverException || t instanceof AllNodesFailedException || t instanceof PredictionWriteException
                    || t instanceof IllegalStateException && String.valueOf(t.getMessage()).startsWith("Control channel not available")) {
                return true;
            }
        }
        return false;
    }

    /** The root cause in one line; an unreachable Cassandra, or one refusing the write, is named as such. */
    public static String describe(Throwable e, String cassandra) {
        Throwable root = e;
        boolean unreachable = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            unreachable |= t instanceof AllNodesFailedException || t instanceof DriverTimeoutException
                    || t instanceof IllegalStateException && String.valueOf(t.getMessage()).startsWith("Control channel not available");
        }
        String cause = root.getClass().getSimpleName() + ": " + shortened(root.getMessage());
        if (unreachable) {
            return "Cassandra at " + cassandra + " is unreachable (" + cause + ")";
        }
        return fromCassandra(e) ? "Cassandra at " + cassandra + " refused the write (" + cause + ")" : cause;
    }

    /** The driver's messages list every node's error on one line: the start says enough. */
    private static String shortened(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
