package dev.xigate.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate rule a request must pass besides the concurrency limit: a token bucket, a sliding window of requests or a
 * character budget per period. Policies are values; their state lives in the {@link PermitStore}.
 *
 * <p>A request the policy cannot admit yet waits in the queue; one it could never admit within its maximum wait is
 * rejected at once with {@link #rejectReason()} and the time after which it could pass.
 */
public sealed interface RatePolicy permits RatePolicy.TokenBucket, RatePolicy.SlidingWindow,
        RatePolicy.CharacterBudget {

    /** Returns the reason a request gets when this policy refuses it: {@code rate_limited} unless overridden. */
    default RejectReason rejectReason() {
        return RejectReason.RATE_LIMITED;
    }

    /** Returns how much of the policy one request consumes: 1 request, or its characters for a budget. */
    default long amountFor(AdmissionRequest request) {
        return 1;
    }

    /** Returns a short description for messages, for example {@code 10 requests per 1s}. */
    String describe();

    /** Creates a token bucket of {@code capacity} tokens refilled at {@code refillPerSecond} tokens per second. */
    static TokenBucket tokenBucket(long capacity, double refillPerSecond) {
        return new TokenBucket(capacity, refillPerSecond);
    }

    /** Creates a sliding window admitting at most {@code maxRequests} within any {@code window}. */
    static SlidingWindow slidingWindow(int maxRequests, Duration window) {
        return new SlidingWindow(maxRequests, window);
    }

    /** Creates a budget of {@code maxCharacters} characters per fixed {@code period}. */
    static CharacterBudget characterBudget(long maxCharacters, Duration period) {
        return new CharacterBudget(maxCharacters, period);
    }

    /**
     * A token bucket: every request takes one token; tokens refill continuously up to the capacity (the burst).
     *
     * @param capacity the largest burst, at least 1
     * @param refillPerSecond tokens added per second, more than 0
     */
    record TokenBucket(long capacity, double refillPerSecond) implements RatePolicy {
        /**
         * Creates a token bucket.
         *
         * @throws IllegalArgumentException if capacity is below 1 or the refill rate is not positive and finite
         */
        public TokenBucket {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
            }
            if (!(refillPerSecond > 0) || Double.isInfinite(refillPerSecond)) {
                throw new IllegalArgumentException("refillPerSecond: " + refillPerSecond
                        + " (expected: > 0 and finite)");
            }
        }

        @Override
        public String describe() {
            return "token bucket of " + capacity + " refilled at " + refillPerSecond + "/s";
        }
    }

    /**
     * A sliding window: at most {@code maxRequests} requests admitted within any interval of length {@code window}.
     *
     * @param maxRequests requests per window, 1 to 1,000,000
     * @param window the window length, more than 0
     */
    record SlidingWindow(int maxRequests, Duration window) implements RatePolicy {
        /** The largest window size in requests (the in-memory state keeps one timestamp per request). */
        public static final int MAX_REQUESTS = 1_000_000;

        /**
         * Creates a sliding window.
         *
         * @throws IllegalArgumentException if maxRequests is outside 1..1,000,000 or the window is not positive
         */
        public SlidingWindow {
            Objects.requireNonNull(window, "window");
            if (maxRequests < 1 || maxRequests > MAX_REQUESTS) {
                throw new IllegalArgumentException("maxRequests: " + maxRequests + " (expected: 1.." + MAX_REQUESTS
                        + ")");
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
            }
        }

        @Override
        public String describe() {
            return maxRequests + " requests per " + Durations.format(window);
        }
    }

    /**
     * A character budget: the characters of admitted requests add up to at most {@code maxCharacters} per fixed
     * period (the first period starts at the first request). It keeps a client from spending the account's quota.
     *
     * @param maxCharacters characters per period, at least 1
     * @param period the period length, more than 0
     */
    record CharacterBudget(long maxCharacters, Duration period) implements RatePolicy {
        /**
         * Creates a character budget.
         *
         * @throws IllegalArgumentException if maxCharacters is below 1 or the period is not positive
         */
        public CharacterBudget {
            Objects.requireNonNull(period, "period");
            if (maxCharacters < 1) {
                throw new IllegalArgumentException("maxCharacters: " + maxCharacters + " (expected: >= 1)");
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
            }
        }

        @Override
        public RejectReason rejectReason() {
            return RejectReason.CHARACTER_BUDGET;
        }

        @Override
        public long amountFor(AdmissionRequest request) {
            return request.characters();
        }

        @Override
        public String describe() {
            return maxCharacters + " characters per " + Durations.format(period);
        }
    }
}
