package dev.xigate.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Returns how upstream calls are retried: attempt and time limits, the backoff for each kind of failure, and the
 * retry budget shared by all requests. Immutable; build with {@link #builder()} or take {@link #ofDefaults()}.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder().maxAttempts(3).overallDeadline(Duration.ofSeconds(10)).build();
 * }</pre>
 *
 * @param maxAttempts attempts per request, the first included
 * @param overallDeadline the total time a request may spend on attempts and waits
 * @param attemptTimeout the time one attempt may wait for the upstream's response headers
 * @param rateLimitBackoff the schedule after a 429 without {@code Retry-After}
 * @param serverErrorBackoff the schedule after a 5xx
 * @param networkBackoff the schedule after a network error or timeout
 * @param retryAfterCap the longest {@code Retry-After} honoured; longer asks are cut to this
 * @param budgetRatio retries allowed per request over the budget window
 * @param budgetMinRetries retries always allowed per budget window
 * @param budgetWindow the retry budget's sliding window
 */
public record RetryConfig(
        int maxAttempts,
        Duration overallDeadline,
        Duration attemptTimeout,
        Backoff rateLimitBackoff,
        Backoff serverErrorBackoff,
        Backoff networkBackoff,
        Duration retryAfterCap,
        double budgetRatio,
        int budgetMinRetries,
        Duration budgetWindow) {
    /** Default attempts per request: one try and three retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** Default total time per request (the seed's "timeout after 30 seconds"). */
    public static final Duration DEFAULT_OVERALL_DEADLINE = Duration.ofSeconds(30);
    /** Default wait for response headers per attempt. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(15);
    /** Default schedule after a 429: 1 s, 2 s, 4 s ... up to 20 s, half of it jittered. */
    public static final Backoff DEFAULT_RATE_LIMIT_BACKOFF =
            Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(20), 0.5);
    /** Default schedule after a 5xx: 200 ms, 400 ms, 800 ms ... up to 5 s, half of it jittered. */
    public static final Backoff DEFAULT_SERVER_ERROR_BACKOFF =
            Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(5), 0.5);
    /** Default schedule after a network error: 500 ms, 1 s, 1.5 s ... up to 5 s, a fifth of it jittered. */
    public static final Backoff DEFAULT_NETWORK_BACKOFF =
            Backoff.linear(Duration.ofMillis(500), Duration.ofSeconds(5), 0.2);
    /** Default cap on a honoured {@code Retry-After} (the official SDKs cap at 60 s too). */
    public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofSeconds(60);
    /** Default retries per request over the window: 20 %. */
    public static final double DEFAULT_BUDGET_RATIO = 0.2;
    /** Default retries always allowed per window. */
    public static final int DEFAULT_BUDGET_MIN_RETRIES = 10;
    /** Default budget window: one minute. */
    public static final Duration DEFAULT_BUDGET_WINDOW = Duration.ofMinutes(1);

    /** Creates a config, checking every field and the rules across fields. */
    public RetryConfig {
        Objects.requireNonNull(overallDeadline, "overallDeadline");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(rateLimitBackoff, "rateLimitBackoff");
        Objects.requireNonNull(serverErrorBackoff, "serverErrorBackoff");
        Objects.requireNonNull(networkBackoff, "networkBackoff");
        Objects.requireNonNull(retryAfterCap, "retryAfterCap");
        Objects.requireNonNull(budgetWindow, "budgetWindow");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
        requirePositive("overallDeadline", overallDeadline);
        requirePositive("attemptTimeout", attemptTimeout);
        requirePositive("retryAfterCap", retryAfterCap);
        if (!(budgetRatio >= 0.0 && budgetRatio <= 1.0)) {
            throw new IllegalArgumentException("budgetRatio: " + budgetRatio + " (expected: 0.0..1.0)");
        }
        if (budgetMinRetries < 0) {
            throw new IllegalArgumentException("budgetMinRetries: " + budgetMinRetries + " (expected: >= 0)");
        }
        if (budgetWindow.toMillis() < RetryBudget.BUCKETS) {
            throw new IllegalArgumentException("budgetWindow: " + budgetWindow + " (expected: >= "
                    + RetryBudget.BUCKETS + "ms)");
        }
    }

    /** Returns the defaults. */
    public static RetryConfig ofDefaults() {
        return builder().build();
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder().maxAttempts(maxAttempts).overallDeadline(overallDeadline).attemptTimeout(attemptTimeout)
                .rateLimitBackoff(rateLimitBackoff).serverErrorBackoff(serverErrorBackoff)
                .networkBackoff(networkBackoff).retryAfterCap(retryAfterCap).budgetRatio(budgetRatio)
                .budgetMinRetries(budgetMinRetries).budgetWindow(budgetWindow);
    }

    /** Returns the backoff schedule for a retryable outcome. */
    public Backoff backoffFor(Outcome outcome) {
        return switch (outcome) {
            case RATE_LIMITED_CONCURRENCY, RATE_LIMITED_BUSY -> rateLimitBackoff;
            case SERVER_ERROR -> serverErrorBackoff;
            case NETWORK_ERROR, TIMEOUT -> networkBackoff;
            case SUCCESS, CLIENT_ERROR -> throw new IllegalArgumentException("outcome: " + outcome
                    + " (expected: a retryable outcome)");
        };
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    /** Builds a {@link RetryConfig}; setters only store, {@link #build()} checks. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration overallDeadline = DEFAULT_OVERALL_DEADLINE;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private Backoff rateLimitBackoff = DEFAULT_RATE_LIMIT_BACKOFF;
        private Backoff serverErrorBackoff = DEFAULT_SERVER_ERROR_BACKOFF;
        private Backoff networkBackoff = DEFAULT_NETWORK_BACKOFF;
        private Duration retryAfterCap = DEFAULT_RETRY_AFTER_CAP;
        private double budgetRatio = DEFAULT_BUDGET_RATIO;
        private int budgetMinRetries = DEFAULT_BUDGET_MIN_RETRIES;
        private Duration budgetWindow = DEFAULT_BUDGET_WINDOW;

        private Builder() {
        }

        /** Sets the attempts per request (default 4). */
        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        /** Sets the total time per request (default 30 s). */
        public Builder overallDeadline(Duration value) {
            overallDeadline = value;
            return this;
        }

        /** Sets the wait for headers per attempt (default 15 s). */
        public Builder attemptTimeout(Duration value) {
            attemptTimeout = value;
            return this;
        }

        /** Sets the schedule after a 429 (default exponential 1 s to 20 s). */
        public Builder rateLimitBackoff(Backoff value) {
            rateLimitBackoff = value;
            return this;
        }

        /** Sets the schedule after a 5xx (default exponential 200 ms to 5 s). */
        public Builder serverErrorBackoff(Backoff value) {
            serverErrorBackoff = value;
            return this;
        }

        /** Sets the schedule after a network error (default linear 500 ms steps to 5 s). */
        public Builder networkBackoff(Backoff value) {
            networkBackoff = value;
            return this;
        }

        /** Sets the cap on a honoured {@code Retry-After} (default 60 s). */
        public Builder retryAfterCap(Duration value) {
            retryAfterCap = value;
            return this;
        }

        /** Sets the retries allowed per request over the window (default 0.2). */
        public Builder budgetRatio(double value) {
            budgetRatio = value;
            return this;
        }

        /** Sets the retries always allowed per window (default 10). */
        public Builder budgetMinRetries(int value) {
            budgetMinRetries = value;
            return this;
        }

        /** Sets the budget's sliding window (default one minute). */
        public Builder budgetWindow(Duration value) {
            budgetWindow = value;
            return this;
        }

        /**
         * Returns the config.
         *
         * @throws IllegalArgumentException if a value is out of range
         */
        public RetryConfig build() {
            return new RetryConfig(maxAttempts, overallDeadline, attemptTimeout, rateLimitBackoff,
                    serverErrorBackoff, networkBackoff, retryAfterCap, budgetRatio, budgetMinRetries, budgetWindow);
        }
    }
}
