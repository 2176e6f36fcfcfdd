package dev.xigate.limit;

/**
 * Temporary copy of the limiter contract; replaced by the limit branch at merge.
 *
 * @param limit the limit
 * @param inFlight permits out
 * @param queued requests waiting
 */
public record PoolSnapshot(int limit, int inFlight, int queued) {
}
