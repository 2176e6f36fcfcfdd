package dev.xigate.retry;

import dev.xigate.error.ApiError;
import java.time.Duration;
import java.util.Objects;

/**
 * Thrown when no upstream slot could be had: the limiter rejected the request (queue full, queue timeout, shutting
 * down, ...) or the wait ran out. Carries the error to answer with. Created without a stack trace.
 */
public final class SlotUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;
    private final Duration retryAfter;

    /**
     * Creates the exception.
     *
     * @param error the answer for the client
     * @param retryAfter the wait to advertise, or {@code null}
     */
    public SlotUnavailableException(ApiError error, Duration retryAfter) {
        super(Objects.requireNonNull(error, "error").status() + ": " + error.message(), null, false, false);
        this.error = error;
        this.retryAfter = retryAfter;
    }

    /** Returns the answer for the client. */
    public ApiError error() {
        return error;
    }

    /** Returns the wait to advertise in {@code Retry-After}, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
