package dev.xigate.limit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Creates the settings of one family's pool.
 *
 * @param limit permits in flight at once; 0 makes the family unavailable
 * @param maxQueue requests that may wait at once; 0 disables queueing
 * @param maxWait the longest a request waits for a permit
 * @param policies rate policies over the whole pool (every client together), checked in order
 */
public record PoolConfig(int limit, int maxQueue, Duration maxWait, List<RatePolicy> policies) {
    /** The default queue capacity. */
    public static final int DEFAULT_MAX_QUEUE = 100;
    /** The default maximum wait. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
    /** The largest limit accepted (far above any plan; guards against typos). */
    public static final int MAX_LIMIT = 100_000;
    /** The largest queue accepted. */
    public static final int MAX_QUEUE = 10_000_000;

    /**
     * Creates pool settings.
     *
     * @throws IllegalArgumentException if a value is outside its range
     */
    public PoolConfig {
        Objects.requireNonNull(maxWait, "maxWait");
        policies = List.copyOf(policies);
        checkLimit(limit);
        checkMaxQueue(maxQueue);
        checkMaxWait(maxWait);
    }

    /** Creates settings with this limit and the default queue, wait and no policies. */
    public static PoolConfig of(int limit) {
        return new PoolConfig(limit, DEFAULT_MAX_QUEUE, DEFAULT_MAX_WAIT, List.of());
    }

    /** Returns a copy with another limit. */
    public PoolConfig withLimit(int value) {
        return new PoolConfig(value, maxQueue, maxWait, policies);
    }

    /** Returns a copy with another queue capacity. */
    public PoolConfig withMaxQueue(int value) {
        return new PoolConfig(limit, value, maxWait, policies);
    }

    /** Returns a copy with another maximum wait. */
    public PoolConfig withMaxWait(Duration value) {
        return new PoolConfig(limit, maxQueue, value, policies);
    }

    /** Returns a copy with other pool-wide rate policies. */
    public PoolConfig withPolicies(List<RatePolicy> value) {
        return new PoolConfig(limit, maxQueue, maxWait, value);
    }

    static void checkLimit(int limit) {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 0.." + MAX_LIMIT + ")");
        }
    }

    static void checkMaxQueue(int maxQueue) {
        if (maxQueue < 0 || maxQueue > MAX_QUEUE) {
            throw new IllegalArgumentException("maxQueue: " + maxQueue + " (expected: 0.." + MAX_QUEUE + ")");
        }
    }

    static void checkMaxWait(Duration maxWait) {
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait: " + maxWait + " (expected: >= 0)");
        }
    }
}
