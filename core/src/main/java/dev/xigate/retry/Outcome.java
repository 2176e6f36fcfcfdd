package dev.xigate.retry;

/**
 * Returns the class of one upstream attempt's result, which decides whether it is retried, how long to wait and
 * whether it counts against the circuit breaker.
 */
public enum Outcome {
    /** A 1xx, 2xx or 3xx answer: pass it on. */
    SUCCESS(false, false),
    /** A 4xx other than 429: the request is wrong and is never retried. */
    CLIENT_ERROR(false, false),
    /** A 429 saying the account's concurrency limit is reached; the pool shrinks and the request waits again. */
    RATE_LIMITED_CONCURRENCY(true, false),
    /** Any other 429 (system_busy, rate_limit_exceeded): back off and retry, the pool keeps its size. */
    RATE_LIMITED_BUSY(true, false),
    /** A 5xx: retried with exponential backoff, counted as a breaker failure. */
    SERVER_ERROR(true, true),
    /** The connection failed (refused, reset, DNS, TLS): retried with linear backoff, a breaker failure. */
    NETWORK_ERROR(true, true),
    /** No answer within the attempt's time limit: retried like a network error, a breaker failure. */
    TIMEOUT(true, true);

    private final boolean retryable;
    private final boolean breakerFailure;

    Outcome(boolean retryable, boolean breakerFailure) {
        this.retryable = retryable;
        this.breakerFailure = breakerFailure;
    }

    /** Returns whether an attempt with this outcome may be retried at all. */
    public boolean isRetryable() {
        return retryable;
    }

    /** Returns whether this outcome counts as a failure for the circuit breaker. */
    public boolean isBreakerFailure() {
        return breakerFailure;
    }

    /** Returns whether this outcome is one of the two 429 kinds. */
    public boolean isRateLimited() {
        return this == RATE_LIMITED_CONCURRENCY || this == RATE_LIMITED_BUSY;
    }
}
