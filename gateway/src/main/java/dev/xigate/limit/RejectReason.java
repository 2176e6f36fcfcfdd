package dev.xigate.limit;

import java.util.Locale;

/** Temporary copy of the limiter contract; replaced by the limit branch at merge. */
public enum RejectReason {
    QUEUE_FULL, QUEUE_TIMEOUT, RATE_LIMITED, CHARACTER_BUDGET, FAMILY_UNAVAILABLE, SHUTTING_DOWN;

    /** Returns the detail.status word. */
    public String status() {
        return this == CHARACTER_BUDGET ? "character_budget_exceeded" : name().toLowerCase(Locale.ROOT);
    }
}
