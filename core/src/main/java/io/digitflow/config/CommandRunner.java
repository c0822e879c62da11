package io.digitflow.config;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How every digitflow main behaves: {@code --help} prints the usage, a {@link UsageException}
 * prints its message and the usage and exits 2, any other failure prints one clear line and exits 1.
 */
public final class CommandRunner {
    private CommandRunner() {
    }

    public static void run(String[] args, String usage, Set<String> valued, Set<String> switches, Consumer<Flags> body) {
        Set<String> allSwitches = new HashSet<>(switches);
        allSwitches.add("help");
        Flags flags;
        try {
            flags = Flags.parse(args, valued, allSwitches);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage() + "\n\n" + usage);
            System.exit(2);
            return;
        }
        if (flags.isSet("help")) {
            System.out.println(usage);
            return;
        }
        try {
            body.accept(flags);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage() + "\n\n" + usage);
            System.exit(2);
        } catch (Exception e) { // Scala code (Spark) throws checked exceptions undeclared
            System.err.println("error: " + e.getMessage());
            if (System.getenv("DIGITFLOW_DEBUG") != null) {
                e.printStackTrace();
            } else {
                System.err.println("(set DIGITFLOW_DEBUG=1 for the stack trace)");
            }
            System.exit(1);
        }
    }
}
