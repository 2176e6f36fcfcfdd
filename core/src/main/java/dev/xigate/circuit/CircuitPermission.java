package dev.xigate.circuit;

import java.time.Duration;
import java.util.Objects;

/** Returns whether a family's breaker lets an upstream call through. */
public sealed interface CircuitPermission permits CircuitPermission.Permitted, CircuitPermission.Rejected {
    /**
     * The call may go ahead; its result must be recorded exactly once on {@code call}.
     *
     * @param call where the attempt's result goes
     */
    record Permitted(CircuitCall call) implements CircuitPermission {
        /** Creates a permission. */
        public Permitted {
            Objects.requireNonNull(call, "call");
        }
    }

    /**
     * The breaker is open (or all half-open probes are out): fail fast.
     *
     * @param retryAfter when the breaker will let probes through again (at least one second, for the header)
     */
    record Rejected(Duration retryAfter) implements CircuitPermission {
        /** Creates a rejection. */
        public Rejected {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }
}
