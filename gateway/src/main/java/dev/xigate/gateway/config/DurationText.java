package dev.xigate.gateway.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses durations written for people ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}) or in ISO-8601. */
public final class DurationText {
    private DurationText() {
    }

    /**
     * Returns the duration a text names.
     *
     * @throws IllegalArgumentException if the text is neither a number with a unit nor an ISO-8601 duration
     */
    public static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1).trim());
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw invalid(text, null);
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw invalid(text, e);
        }
    }

    private static IllegalArgumentException invalid(String text, Exception cause) {
        return new IllegalArgumentException("duration: " + text + " (expected: a number with ms, s, m or h,"
                + " or ISO-8601 like PT30S)", cause);
    }
}
