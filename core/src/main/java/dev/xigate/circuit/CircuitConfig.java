package dev.xigate.circuit;

import java.time.Duration;
import java.util.Objects;

/**
 * Returns how each family's circuit breaker behaves. Defaults follow the product description: open after 5
 * consecutive failures, stay open 60 s, check the state every 5 s. Immutable.
 *
 * @param failureThreshold consecutive counted failures that open a closed breaker
 * @param openDuration how long an open breaker fails fast before letting probes through
 * @param halfOpenProbes probe calls let through while half-open; all must succeed to close
 * @param monitorInterval how often the monitor samples every breaker's state (metrics, open to half-open)
 * @param slowStartDuration how long a pool takes to ramp back to its full limit after its breaker closes
 *     ({@link Duration#ZERO} turns slow start off)
 */
public record CircuitConfig(int failureThreshold, Duration openDuration, int halfOpenProbes,
        Duration monitorInterval, Duration slowStartDuration) {
    /** Default consecutive failures that open the breaker. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    /** Default time a breaker stays open. */
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(60);
    /** Default probes while half-open. */
    public static final int DEFAULT_HALF_OPEN_PROBES = 3;
    /** Default state sampling interval. */
    public static final Duration DEFAULT_MONITOR_INTERVAL = Duration.ofSeconds(5);
    /** Default slow-start ramp after closing. */
    public static final Duration DEFAULT_SLOW_START_DURATION = Duration.ofSeconds(10);

    /** Creates a config, checking every field. */
    public CircuitConfig {
        Objects.requireNonNull(openDuration, "openDuration");
        Objects.requireNonNull(monitorInterval, "monitorInterval");
        Objects.requireNonNull(slowStartDuration, "slowStartDuration");
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold: " + failureThreshold + " (expected: >= 1)");
        }
        if (openDuration.toMillis() < 1) {
            throw new IllegalArgumentException("openDuration: " + openDuration + " (expected: >= 1ms)");
        }
        if (halfOpenProbes < 1) {
            throw new IllegalArgumentException("halfOpenProbes: " + halfOpenProbes + " (expected: >= 1)");
        }
        if (monitorInterval.toMillis() < 1) {
            throw new IllegalArgumentException("monitorInterval: " + monitorInterval + " (expected: >= 1ms)");
        }
        if (slowStartDuration.isNegative()) {
            throw new IllegalArgumentException("slowStartDuration: " + slowStartDuration + " (expected: >= 0)");
        }
    }

    /** Returns the defaults. */
    public static CircuitConfig ofDefaults() {
        return new CircuitConfig(DEFAULT_FAILURE_THRESHOLD, DEFAULT_OPEN_DURATION, DEFAULT_HALF_OPEN_PROBES,
                DEFAULT_MONITOR_INTERVAL, DEFAULT_SLOW_START_DURATION);
    }

    /** Returns a copy with another open duration. */
    public CircuitConfig withOpenDuration(Duration value) {
        return new CircuitConfig(failureThreshold, value, halfOpenProbes, monitorInterval, slowStartDuration);
    }

    /** Returns a copy with another failure threshold. */
    public CircuitConfig withFailureThreshold(int value) {
        return new CircuitConfig(value, openDuration, halfOpenProbes, monitorInterval, slowStartDuration);
    }

    /** Returns a copy with another number of half-open probes. */
    public CircuitConfig withHalfOpenProbes(int value) {
        return new CircuitConfig(failureThreshold, openDuration, value, monitorInterval, slowStartDuration);
    }

    /** Returns a copy with another slow-start duration. */
    public CircuitConfig withSlowStartDuration(Duration value) {
        return new CircuitConfig(failureThreshold, openDuration, halfOpenProbes, monitorInterval, value);
    }
}
