package dev.xigate.retry;

import java.time.Duration;
import java.util.Objects;

/** Returns what to do after a failed attempt: retry after a wait, or give up for a stated reason. */
public sealed interface RetryDecision permits RetryDecision.Retry, RetryDecision.GiveUp {
    /**
     * Retry after waiting.
     *
     * @param delay the wait before the next attempt
     * @param honouredRetryAfter whether the wait came from the upstream's {@code Retry-After}
     */
    record Retry(Duration delay, boolean honouredRetryAfter) implements RetryDecision {
        /** Creates a retry decision. */
        public Retry {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /**
     * Stop retrying.
     *
     * @param reason why
     */
    record GiveUp(Reason reason) implements RetryDecision {
        /** Creates a give-up decision. */
        public GiveUp {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a request stopped retrying. */
    enum Reason {
        /** The outcome is never retried (success or a client error). */
        NOT_RETRYABLE("not_retryable"),
        /** Part of the response already went to the client. */
        RESPONSE_STARTED("response_started"),
        /** The request used all its attempts. */
        ATTEMPTS_EXHAUSTED("attempts_exhausted"),
        /** The wait would pass the request's overall deadline. */
        DEADLINE_EXCEEDED("deadline_exceeded"),
        /** The retry budget across all requests is spent. */
        BUDGET_EXHAUSTED("budget_exhausted");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** Returns the stable lower-case name used in metrics and logs. */
        public String label() {
            return label;
        }
    }
}
