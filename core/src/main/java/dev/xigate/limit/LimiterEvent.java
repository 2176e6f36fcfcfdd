package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;

/**
 * Returns what the limiter decided, as a value for metrics and logs; listeners get every event once.
 */
public sealed interface LimiterEvent permits LimiterEvent.Admitted, LimiterEvent.Rejected,
        LimiterEvent.LimitChanged, LimiterEvent.Cancelled {

    /** Returns the family of the pool the event belongs to. */
    ModelFamily family();

    /**
     * A request got a permit.
     *
     * @param request the request
     * @param queueWait how long it waited ({@link Duration#ZERO} when a slot was free)
     */
    record Admitted(ModelFamily family, AdmissionRequest request, Duration queueWait) implements LimiterEvent {
    }

    /**
     * A request was refused.
     *
     * @param request the request
     * @param reason the reason, the same one the caller got
     * @param retryAfter the Retry-After the caller got
     * @param message the message the caller got
     */
    record Rejected(ModelFamily family, AdmissionRequest request, RejectReason reason, Duration retryAfter,
            String message) implements LimiterEvent {
    }

    /**
     * A pool's limit changed.
     *
     * @param oldLimit the limit before
     * @param newLimit the limit after
     * @param cause why
     */
    record LimitChanged(ModelFamily family, int oldLimit, int newLimit, LimitChangeCause cause)
            implements LimiterEvent {
    }

    /**
     * A waiting request left the queue because it was cancelled (its client went away).
     *
     * @param request the request
     * @param waited how long it had waited
     */
    record Cancelled(ModelFamily family, AdmissionRequest request, Duration waited) implements LimiterEvent {
    }
}
