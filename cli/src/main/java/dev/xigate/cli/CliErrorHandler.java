package dev.xigate.cli;

import picocli.CommandLine;

/**
 * Prints a failed command's message on one line with exit status 1; the stack trace only with {@code XIGATE_VERBOSE}.
 */
final class CliErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        commandLine.getErr().println("xigate " + commandLine.getCommandName() + ": " + message);
        if (System.getenv("XIGATE_VERBOSE") != null) {
            commandLine.getErr().println(stackTraceOf(ex));
        }
        return 1;
    }

    private static String stackTraceOf(Throwable throwable) {
        java.io.StringWriter out = new java.io.StringWriter();
        throwable.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
