package dev.xigate.loadtest;

import java.util.Locale;

/**
 * A load shape: how requests arrive over the run.
 *
 * <p>Each pattern has a default loop mode and default figures; the command line can override both.
 */
public enum LoadPattern {
    /** Open loop, the arrival rate grows linearly from {@code --start-rps} to {@code --end-rps}. */
    RAMP_UP("ramp-up", LoadMode.OPEN, 300),
    /** Closed loop, {@code --concurrency} clients released at once until {@code --iterations} requests are done. */
    BURST("burst", LoadMode.CLOSED, 300),
    /** Open loop at {@code --rps} while the simulator injects failures at {@code --failure-rate}. */
    CHAOS("chaos", LoadMode.OPEN, 120),
    /** Open loop at a steady, moderate {@code --rps} for a long time, to show drift. */
    SOAK("soak", LoadMode.OPEN, 600);

    private final String label;
    private final LoadMode defaultMode;
    private final int defaultDurationSeconds;

    LoadPattern(String label, LoadMode defaultMode, int defaultDurationSeconds) {
        this.label = label;
        this.defaultMode = defaultMode;
        this.defaultDurationSeconds = defaultDurationSeconds;
    }

    /** Returns the command-line name, for example {@code ramp-up}. */
    public String label() {
        return label;
    }

    /** Returns the loop mode used when the command line names none. */
    public LoadMode defaultMode() {
        return defaultMode;
    }

    /** Returns the run length used when the command line names none. */
    public int defaultDurationSeconds() {
        return defaultDurationSeconds;
    }

    /**
     * Returns the pattern named by {@code text} (case-insensitive, {@code ramp-up} or {@code ramp_up}).
     *
     * @throws IllegalArgumentException if the text names no pattern
     */
    public static LoadPattern fromLabel(String text) {
        String normalized = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (LoadPattern pattern : values()) {
            if (pattern.label.equals(normalized)) {
                return pattern;
            }
        }
        throw new IllegalArgumentException("pattern: " + text + " (expected: one of ramp-up, burst, chaos, soak)");
    }
}
