package dev.xigate.limit;

import java.util.Objects;

/**
 * Creates one amount to take from one rate policy's state.
 *
 * @param key the state's key in the store, for example {@code client:newsroom:0}
 * @param policy the rule
 * @param amount what the request consumes: 1 request, or its characters
 */
public record RateCharge(String key, RatePolicy policy, long amount) {
    /** Creates a charge. */
    public RateCharge {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(policy, "policy");
        if (amount < 0) {
            throw new IllegalArgumentException("amount: " + amount + " (expected: >= 0)");
        }
    }
}
