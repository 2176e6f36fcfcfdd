package dev.xigate.circuit;

import java.util.Locale;

/** Returns the state of one family's circuit breaker. */
public enum CircuitState {
    /** Calls go through; failures are counted. */
    CLOSED(0),
    /** Calls fail fast until the open duration has passed. */
    OPEN(1),
    /** A few probe calls go through; their results close or reopen the breaker. */
    HALF_OPEN(2);

    private final int gaugeValue;

    CircuitState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /** Returns the value of {@code elevenlabs_circuit_breaker_state}: 0 closed, 1 open, 2 half-open. */
    public int gaugeValue() {
        return gaugeValue;
    }

    /** Returns the stable lower-case name used in metrics labels, logs and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
