package dev.xigate.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Returns the {@link RetryDecision} after an attempt, from its outcome, the request's progress, the upstream's
 * {@code Retry-After} and the shared {@link RetryBudget}.
 *
 * <p>Checks in order: outcome retryable, nothing sent to the client yet, attempts left, the wait fits in the
 * overall deadline, and last the budget (so that a retry that would be refused anyway does not spend it). The wait
 * is the upstream's {@code Retry-After} when present (capped), otherwise the outcome's backoff schedule.
 * Thread-safe; one instance serves all requests.
 */
public final class RetryPolicy {
    private final RetryConfig config;
    private final RetryBudget budget;
    private final RandomGenerator random;

    /**
     * Creates a policy.
     *
     * @param config the limits and schedules
     * @param budget the budget shared across requests
     * @param random the jitter source
     */
    public RetryPolicy(RetryConfig config, RetryBudget budget, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Returns the config this policy applies. */
    public RetryConfig config() {
        return config;
    }

    /** Returns the shared budget. */
    public RetryBudget budget() {
        return budget;
    }

    /**
     * Returns the decision after a failed attempt.
     *
     * @param attemptsMade attempts made so far, the failed one included (>= 1)
     * @param elapsed time since the request's first attempt started
     * @param deadline the request's overall deadline (the config's or an endpoint's own)
     * @param outcome the failed attempt's outcome
     * @param retryAfter the upstream's {@code Retry-After}, or {@code null}
     * @param responseStarted whether any byte of the response went to the client
     */
    public RetryDecision decide(int attemptsMade, Duration elapsed, Duration deadline, Outcome outcome,
            Duration retryAfter, boolean responseStarted) {
        if (!outcome.isRetryable()) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.NOT_RETRYABLE);
        }
        if (responseStarted) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.RESPONSE_STARTED);
        }
        if (attemptsMade >= config.maxAttempts()) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.ATTEMPTS_EXHAUSTED);
        }

        boolean honoured = retryAfter != null;
        Duration delay = honoured ? min(retryAfter, config.retryAfterCap())
                : config.backoffFor(outcome).delay(attemptsMade, random);
        if (elapsed.plus(delay).compareTo(deadline) >= 0) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.DEADLINE_EXCEEDED);
        }
        if (!budget.tryAcquireRetry()) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.BUDGET_EXHAUSTED);
        }
        return new RetryDecision.Retry(delay, honoured);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
