package dev.xigate.retry;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;

/**
 * Receives the retry executor's events, for metrics and logs. Called on the request's thread; implementations
 * must be quick and must not throw.
 */
public interface RetryListener {
    /** A listener that does nothing. */
    RetryListener NONE = new RetryListener() {
    };

    /** Records one upstream attempt's outcome. */
    default void onAttempt(String requestId, ModelFamily family, int attempt, Outcome outcome) {
    }

    /** Records a retry about to wait {@code delay}. */
    default void onRetry(String requestId, ModelFamily family, int attempt, Outcome outcome, Duration delay) {
    }

    /** Records that a request stopped retrying after a failure. */
    default void onGiveUp(String requestId, ModelFamily family, Outcome outcome, RetryDecision.Reason reason) {
    }

    /** Records that cached audio was served because the upstream failed. */
    default void onFallback(String requestId, ModelFamily family, Outcome cause) {
    }

    /** Records that the breaker refused a call. */
    default void onCircuitOpen(String requestId, ModelFamily family) {
    }
}
