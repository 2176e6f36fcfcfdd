package dev.xigate.loadtest;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints the run's progress: one line rewritten in place on a terminal, or plain lines (every few seconds) when the
 * output is a pipe or a file, so logs stay readable. Used from the run's ticker thread.
 */
public final class ConsoleProgress implements LoadRunner.Progress {
    private static final int PLAIN_EVERY_SECONDS = 5;

    private final PrintStream out;
    private final boolean terminal;

    /**
     * Creates a printer.
     *
     * @param out where lines go
     * @param terminal whether {@code out} is an interactive terminal ({@code System.console() != null})
     */
    public ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void tick(Summary.TimePoint point, LoadRecorder totals, int durationSeconds, boolean last) {
        String line = line(point, totals, durationSeconds);
        if (terminal) {
            out.print("\r" + line + "   ");
            if (last) {
                out.println();
            }
            out.flush();
        } else if (last || point.second() % PLAIN_EVERY_SECONDS == 0) {
            out.println(line);
        }
    }

    /** Returns the progress line of a tick. */
    static String line(Summary.TimePoint point, LoadRecorder totals, int durationSeconds) {
        long sent = totals.sent();
        long failed = totals.failed();
        double errorPercent = sent == 0 ? 0 : 100.0 * failed / sent;
        return String.format(Locale.ROOT,
                "[%4ds/%ds] sent %d ok %d err %d (%.1f%%) in-flight %d rps %d p50 %s p99 %s upstream %s queue %s",
                point.second(), durationSeconds, sent, totals.succeeded(), failed, errorPercent, point.inFlight(),
                point.completed(), ms(point.p50Ms()), ms(point.p99Ms()), value(point.upstreamConcurrency()),
                value(point.queueDepth()));
    }

    private static String ms(Double value) {
        return value == null ? "-" : Math.round(value) + "ms";
    }

    private static String value(Double value) {
        return value == null ? "n/a" : Long.toString(Math.round(value));
    }
}
