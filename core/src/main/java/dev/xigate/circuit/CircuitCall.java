package dev.xigate.circuit;

import dev.xigate.retry.Outcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Records the result of one permitted upstream attempt on its family's breaker. Only the first record counts, so
 * a half-open probe slot is never leaked or counted twice. Thread-safe.
 */
public final class CircuitCall {
    private final CircuitBreaker breaker;
    private final Clock clock;
    private final long startMillis;
    private final Consumer<CircuitBreaker> onFailureWhileHalfOpen;
    private final AtomicBoolean recorded = new AtomicBoolean();

    CircuitCall(CircuitBreaker breaker, Clock clock, Consumer<CircuitBreaker> onFailureWhileHalfOpen) {
        this.breaker = breaker;
        this.clock = clock;
        this.startMillis = clock.millis();
        this.onFailureWhileHalfOpen = onFailureWhileHalfOpen;
    }

    /**
     * Records an attempt's outcome: success closes the streak, a breaker failure (5xx, network, timeout) counts,
     * and the rest (429s, client errors) is ignored and frees the permission.
     */
    public void record(Outcome outcome) {
        if (outcome == Outcome.SUCCESS) {
            recordSuccess();
        } else if (outcome.isBreakerFailure()) {
            recordFailure(new UpstreamFailureException(outcome));
        } else {
            recordIgnored();
        }
    }

    /** Records a success. */
    public void recordSuccess() {
        if (recorded.compareAndSet(false, true)) {
            breaker.onSuccess(elapsedMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Records a counted failure. */
    public void recordFailure(Throwable cause) {
        if (recorded.compareAndSet(false, true)) {
            boolean wasHalfOpen = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
            breaker.onError(elapsedMillis(), TimeUnit.MILLISECONDS, cause);
            if (wasHalfOpen) {
                onFailureWhileHalfOpen.accept(breaker);
            }
        }
    }

    /** Records a result that says nothing about the upstream's health; frees the permission. */
    public void recordIgnored() {
        if (recorded.compareAndSet(false, true)) {
            breaker.releasePermission();
        }
    }

    private long elapsedMillis() {
        return Math.max(0, clock.millis() - startMillis);
    }

    /** The failure recorded on the breaker for an outcome without an exception (a 5xx answer). */
    static final class UpstreamFailureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UpstreamFailureException(Outcome outcome) {
            super("upstream attempt failed: " + outcome, null, false, false);
        }
    }
}
