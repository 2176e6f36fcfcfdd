package dev.xigate.limit;

import java.time.Duration;

/** Temporary copy of the limiter contract; replaced by the limit branch at merge. */
public sealed interface Admission permits Admission.Granted, Admission.Rejected {
    /**
     * A granted slot.
     *
     * @param permit the slot
     * @param queueWait time spent queued
     */
    record Granted(Permit permit, Duration queueWait) implements Admission {
    }

    /**
     * A refusal.
     *
     * @param reason why
     * @param retryAfter when to retry
     * @param message for a person
     */
    record Rejected(RejectReason reason, Duration retryAfter, String message) implements Admission {
    }
}
