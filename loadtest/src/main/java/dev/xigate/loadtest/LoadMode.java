package dev.xigate.loadtest;

import java.util.Locale;

/** How the load generator decides when to send. */
public enum LoadMode {
    /**
     * Requests leave at planned times whatever the target does (constant or ramped arrival rate); latency is
     * measured from the planned send time, so a stalled target cannot hide its stall (no coordinated omission).
     */
    OPEN,
    /** A fixed number of clients each send, wait for the answer, think, and send again. */
    CLOSED;

    /**
     * Returns the mode named by {@code text}, case-insensitively.
     *
     * @throws IllegalArgumentException if the text names no mode
     */
    public static LoadMode fromLabel(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode: " + text + " (expected: open or closed)", e);
        }
    }

    /** Returns the lower-case name used on the command line and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
