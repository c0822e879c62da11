package io.digitflow.config;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every digitflow main runs its picocli command: {@code -h}/{@code --help} and {@code --version}
 * are answered before anything is loaded; a mistake in the arguments, or a {@link UsageException}
 * thrown by the command, prints the message and the usage and exits 2; any other failure prints one
 * line (the stack trace only with {@code DIGITFLOW_DEBUG} set) and exits 1.
 */
public final class Cli {
    private Cli() {
    }

    /** Runs {@code command} with {@code args} and exits the JVM when it did not succeed. */
    public static void main(Object command, String... args) {
        int status = commandLine(command).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The command with its options set from {@code args}, not run: for callers that want exceptions, not exit codes. */
    public static <T> T parse(T command, String... args) {
        commandLine(command).parseArgs(args);
        return command;
    }

    public static CommandLine commandLine(Object command) {
        return new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Cli::misused)
                .setExecutionExceptionHandler(Cli::failed);
    }

    private static int misused(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        command.usage(err);
        return CommandLine.ExitCode.USAGE;
    }

    private static int failed(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (e instanceof UsageException) {
            err.println("error: " + e.getMessage());
            err.println();
            command.usage(err);
            return CommandLine.ExitCode.USAGE;
        }
        err.println("error: " + e.getMessage());
        if (System.getenv("DIGITFLOW_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set DIGITFLOW_DEBUG=1 for the stack trace)");
        }
        return CommandLine.ExitCode.SOFTWARE;
    }
}
