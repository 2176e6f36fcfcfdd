package dev.xigate.limit;

/**
 * Why the limiter refused a request; each reason has the {@code detail.status} word the gateway answers with.
 */
public enum RejectReason {
    /** The pool's queue already holds its maximum number of waiting requests. */
    QUEUE_FULL("queue_full", 429),
    /** The request waited in the queue for the pool's maximum wait without getting a permit. */
    QUEUE_TIMEOUT("queue_timeout", 429),
    /** A token bucket or sliding window cannot admit the request within its maximum wait. */
    RATE_LIMITED("rate_limited", 429),
    /** The client's character budget for the current period cannot cover the request within its maximum wait. */
    CHARACTER_BUDGET("character_budget_exceeded", 429),
    /** The family's limit is 0 on the configured plan (for example music on Free); retrying cannot help. */
    FAMILY_UNAVAILABLE("family_unavailable", 403),
    /** The limiter was closed. */
    SHUTTING_DOWN("shutting_down", 503);

    private final String status;
    private final int httpStatus;

    RejectReason(String status, int httpStatus) {
        this.status = status;
        this.httpStatus = httpStatus;
    }

    /**
     * Returns the HTTP status to answer with: 429 for the retryable refusals (the official SDKs retry 429 and honour
     * Retry-After), 403 for an unavailable family (no SDK retry), 503 while shutting down.
     */
    public int httpStatus() {
        return httpStatus;
    }

    /** Returns the machine-readable word used as {@code detail.status} and {@code detail.code} in error bodies. */
    public String status() {
        return status;
    }
}
