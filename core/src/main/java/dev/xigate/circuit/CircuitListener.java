package dev.xigate.circuit;

import dev.xigate.plan.ModelFamily;

/**
 * Receives circuit breaker events, for metrics and logs. Called on the thread that caused the event (or the
 * monitor's); implementations must be quick and must not throw.
 */
public interface CircuitListener {
    /** Records that a family's breaker changed state. */
    default void onStateChanged(ModelFamily family, CircuitState from, CircuitState to) {
    }

    /** Records the state seen by the periodic monitor. */
    default void onStateSampled(ModelFamily family, CircuitState state) {
    }

    /** Records a call refused because the breaker was open (or its half-open probes were taken). */
    default void onCallRejected(ModelFamily family) {
    }
}
