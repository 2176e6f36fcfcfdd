package dev.xigate.metrics;

import dev.xigate.plan.ModelFamily;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * Records what the gateway does, for metrics; the request path's only view of them.
 *
 * <p>Counters and histograms are pushed by the request path ({@link #recordRequest}, {@link #recordRetry}, ...).
 * Levels that already live in a component (in-flight permits, queue lengths, breaker state) are pulled: the
 * component registers a supplier once and the registry reads it at scrape time, so they cost nothing per request.
 * Implementations are thread-safe; {@link #noop()} is the default when metrics are off.
 *
 * <pre>{@code
 * GatewayMetrics metrics = new MicrometerGatewayMetrics(registry);
 * metrics.registerPool(ModelFamily.TURBO_FLASH, pool::inFlight, pool::limit);
 * metrics.recordRequest(outcome);
 * }</pre>
 */
public interface GatewayMetrics {
    /** Returns a recorder that does nothing. */
    static GatewayMetrics noop() {
        return NoopGatewayMetrics.INSTANCE;
    }

    /** Records one finished request: count, duration, errors, characters, audio, time to first byte, cache. */
    void recordRequest(RequestOutcome outcome);

    /** Records a request's wait for a permit, when it got one or gave up. */
    void recordQueueWait(ModelFamily family, String priority, long waitNanos);

    /** Records one upstream retry attempt and why it was made (the failed attempt's outcome: server_error, ...). */
    void recordRetry(ModelFamily family, String reason);

    /** Records an answer served from a fallback and why (circuit_open, upstream_5xx, ...). */
    void recordFallback(ModelFamily family, String reason);

    /** Registers a pool's in-flight count and effective limit, read at scrape time. */
    void registerPool(ModelFamily family, IntSupplier inFlight, IntSupplier limit);

    /** Registers the length of one priority queue of a pool, read at scrape time. */
    void registerQueue(ModelFamily family, String priority, IntSupplier depth);

    /** Registers a breaker's state, read at scrape time as one of the {@code MetricNames.BREAKER_*} values. */
    void registerBreaker(String breaker, DoubleSupplier state);

    /** Publishes the latest quota poll: the used percentage (0..100), or that the poll failed. */
    void recordQuota(QuotaStatus status);
}
