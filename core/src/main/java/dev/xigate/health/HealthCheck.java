package dev.xigate.health;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Checks one part the gateway depends on (upstream key, a pool's queue, a breaker, Redis).
 *
 * <p>A check should answer quickly from state the component already keeps; {@link HealthAggregator} still bounds
 * each call with a timeout and turns an exception into {@code DOWN}. Implementations are thread-safe.
 */
public interface HealthCheck {
    /** Returns the check's name: the key of its entry in the health JSON. */
    String name();

    /** Returns the check's verdict now. */
    CheckResult check();

    /** Creates a check from a name and a function. */
    static HealthCheck of(String name, Supplier<CheckResult> check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult check() {
                return check.get();
            }
        };
    }
}
