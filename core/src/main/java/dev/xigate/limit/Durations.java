package dev.xigate.limit;

import java.time.Duration;

/** Formats and rounds durations for messages and Retry-After values. */
final class Durations {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Durations() {
    }

    /** Returns a short form such as {@code 250ms}, {@code 30s} or {@code 2m5s}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis % 1_000 != 0 || millis < 60_000) {
            return millis % 1_000 == 0 ? (millis / 1_000) + "s" : String.format("%.1fs", millis / 1_000.0);
        }
        long seconds = millis / 1_000;
        return seconds % 60 == 0 ? (seconds / 60) + "m" : (seconds / 60) + "m" + (seconds % 60) + "s";
    }

    /** Returns {@code nanos} rounded up to whole seconds, at least one second (Retry-After has second precision). */
    static Duration retryAfter(long nanos) {
        long seconds = Math.max(1, (Math.max(0, nanos) + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        return Duration.ofSeconds(seconds);
    }

    /** Returns the duration in nanoseconds, saturated at {@link Long#MAX_VALUE}. */
    static long toNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException ignored) {
            // Longer than 292 years: treat as forever.
            return Long.MAX_VALUE;
        }
    }
}
