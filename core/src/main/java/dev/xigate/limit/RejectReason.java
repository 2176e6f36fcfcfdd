package dev.xigate.limit;

/**
 * Why the limiter refused a request; each reason has the {@code detail.status} word the gateway answers with.
 */
public enum RejectReason {
    /** The pool's queue already holds its maximum number of waiting requests. */
    QUEUE_FULL("queue_full"),
    /** The request waited in the queue for the pool's maximum wait without getting a permit. */
    QUEUE_TIMEOUT("queue_timeout"),
    /** A token bucket or sliding window cannot admit the request within its maximum wait. */
    RATE_LIMITED("rate_limited"),
    /** The client's character budget for the current period cannot cover the request within its maximum wait. */
    CHARACTER_BUDGET("character_budget_exceeded"),
    /** The family's limit is 0 on the configured plan (for example music on Free). */
    FAMILY_UNAVAILABLE("family_unavailable"),
    /** The limiter was closed. */
    SHUTTING_DOWN("shutting_down");

    private final String status;

    RejectReason(String status) {
        this.status = status;
    }

    /** Returns the machine-readable word used as {@code detail.status} and {@code detail.code} in error bodies. */
    public String status() {
        return status;
    }
}
