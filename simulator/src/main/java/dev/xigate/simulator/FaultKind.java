package dev.xigate.simulator;

import java.util.Locale;

/** A failure the simulator can inject into generation requests (see {@link ChaosConfig}). */
public enum FaultKind {
    /** HTTP 429 {@code system_busy}, with {@code Retry-After} when configured. */
    SYSTEM_BUSY("system_busy"),
    /** HTTP 500 {@code internal_server_error}. */
    ERROR_500("error_500"),
    /** HTTP 502 bad gateway, as the load balancer in front of the API sends it. */
    ERROR_502("error_502"),
    /** HTTP 503 service unavailable, with {@code Retry-After} when configured. */
    ERROR_503("error_503"),
    /** The connection is closed before any response byte is sent. */
    RESET("reset"),
    /** The audio stream stops in the middle for {@link ChaosConfig#stall()}, then the connection is closed. */
    STREAM_STALL("stream_stall"),
    /** The connection is closed in the middle of the audio body. */
    STREAM_RESET("stream_reset");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    /** Returns the lower-case name used in flags and in the chaos JSON. */
    public String label() {
        return label;
    }

    /**
     * Returns the fault kind with this label or enum name, case-insensitively.
     *
     * @throws IllegalArgumentException if the text names no fault kind
     */
    public static FaultKind fromLabel(String text) {
        String normalized = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (FaultKind kind : values()) {
            if (kind.label.equals(normalized) || kind.name().toLowerCase(Locale.ROOT).equals(normalized)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("fault kind: " + text + " (expected: one of system_busy, error_500, "
                + "error_502, error_503, reset, stream_stall, stream_reset)");
    }
}
