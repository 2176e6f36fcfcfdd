package dev.xigate.metrics;

import dev.xigate.plan.ModelFamily;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/** The recorder that records nothing: what the core uses when no registry is bound. */
final class NoopGatewayMetrics implements GatewayMetrics {
    static final NoopGatewayMetrics INSTANCE = new NoopGatewayMetrics();

    private NoopGatewayMetrics() {
    }

    @Override
    public void recordRequest(RequestOutcome outcome) {
        // Metrics are off: nothing to record.
    }

    @Override
    public void recordQueueWait(ModelFamily family, String priority, long waitNanos) {
        // Metrics are off: nothing to record.
    }

    @Override
    public void recordRetry(ModelFamily family, String reason) {
        // Metrics are off: nothing to record.
    }

    @Override
    public void recordFallback(ModelFamily family, String reason) {
        // Metrics are off: nothing to record.
    }

    @Override
    public void registerPool(ModelFamily family, IntSupplier inFlight, IntSupplier limit) {
        // Metrics are off: nothing to read.
    }

    @Override
    public void registerQueue(ModelFamily family, String priority, IntSupplier depth) {
        // Metrics are off: nothing to read.
    }

    @Override
    public void registerBreaker(String breaker, DoubleSupplier state) {
        // Metrics are off: nothing to read.
    }

    @Override
    public void recordQuota(QuotaStatus status) {
        // Metrics are off: nothing to record.
    }
}
