package dev.xigate.gateway.auth;

import java.util.Locale;

/**
 * Parses and caps request priorities: {@code 0} is the highest; {@code high}, {@code normal} and {@code low} are
 * the levels 0, 1 and 2.
 */
public final class Priority {
    /** How many priority levels the gateway queues by. */
    public static final int LEVELS = 3;
    /** The highest priority. */
    public static final int HIGH = 0;
    /** The priority of requests that ask for nothing else. */
    public static final int NORMAL = 1;
    /** The lowest priority. */
    public static final int LOW = LEVELS - 1;

    private Priority() {
    }

    /**
     * Returns the level a text names: {@code high}, {@code normal}, {@code low} or a number {@code 0..2}.
     *
     * @throws IllegalArgumentException if the text names no level
     */
    public static int parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "high":
                return HIGH;
            case "normal":
                return NORMAL;
            case "low":
                return LOW;
            default:
                break;
        }
        try {
            int level = Integer.parseInt(value);
            if (level >= 0 && level < LEVELS) {
                return level;
            }
        } catch (NumberFormatException e) {
            // falls through to the common message below
        }
        throw new IllegalArgumentException("priority: " + text + " (expected: high, normal, low or 0.."
                + (LEVELS - 1) + ")");
    }

    /** Returns the requested level, lowered to the highest level the client may use (a larger number is lower). */
    public static int cap(int requested, int highestAllowed) {
        return Math.max(requested, highestAllowed);
    }

    /** Returns the name of a level: {@code high}, {@code normal} or {@code low}. */
    public static String label(int level) {
        return switch (level) {
            case HIGH -> "high";
            case NORMAL -> "normal";
            default -> "low";
        };
    }
}
