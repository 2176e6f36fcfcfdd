package dev.xigate.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Returns the wait a {@code Retry-After} header asks for: either whole seconds or an HTTP date. Stateless.
 */
public final class RetryAfterHeader {
    private RetryAfterHeader() {
    }

    /**
     * Returns the wait the header value asks for, or empty when it is absent or unreadable.
     *
     * <p>A date in the past gives a zero wait; a negative number of seconds is unreadable.
     *
     * @param value the header value, or {@code null}
     * @param now the current time, to turn a date into a wait
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException ignored) {
            // Not a number: try the HTTP-date form below.
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException ignored) {
            return Optional.empty();
        }
    }

    /** Returns the header value for a wait: whole seconds, rounded up, at least 1. */
    public static String format(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Long.toString(seconds);
    }
}
