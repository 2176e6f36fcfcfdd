package dev.xigate.gateway.resilience;

import dev.xigate.circuit.SlowStart;
import dev.xigate.error.ApiError;
import dev.xigate.gateway.upstream.GatewayRejection;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamInterceptor;
import dev.xigate.gateway.upstream.UpstreamRequest;
import dev.xigate.gateway.upstream.UpstreamResponse;
import dev.xigate.limit.Limiter;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Holds a request that got its permit until its family's slow-start ramp allows one more call upstream, after the
 * family's breaker closed again; frees the slot when the answer is closed.
 *
 * <p>Runs after admission (the waiting request keeps its permit and its place by priority) and before the attempt
 * timeout (waiting here is not an upstream timeout). The ramp's allowance is computed from the pool's current limit.
 * A request that gets no slot within {@code maxWait} is refused with 429 {@code queue_timeout}. Outside a ramp it
 * costs one lock. Thread-safe.
 */
public final class SlowStartStep implements UpstreamInterceptor {
    private final SlowStart slowStart;
    private final Limiter limiter;
    private final Duration maxWait;

    /**
     * Creates the stage.
     *
     * @param slowStart the ramps, begun by the breakers
     * @param limiter where each family's current limit is read
     * @param maxWait the longest a request waits here
     */
    public SlowStartStep(SlowStart slowStart, Limiter limiter, Duration maxWait) {
        this.slowStart = Objects.requireNonNull(slowStart, "slowStart");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    @Override
    public UpstreamCall wrap(UpstreamCall next) {
        return request -> request.exchange().needsPermit() && slowStart.isRamping(request.exchange().family())
                ? sendGated(request, next) : next.send(request);
    }

    private UpstreamResponse sendGated(UpstreamRequest request, UpstreamCall next)
            throws IOException, InterruptedException, GatewayRejection {
        int limit = limiter.snapshot(request.exchange().family()).limit();
        SlowStart.Slot slot = slowStart.enter(request.exchange().family(), limit, maxWait);
        if (slot == null) {
            throw new GatewayRejection(ApiError.of(429, "rate_limit_error", "queue_timeout", "The "
                    + request.exchange().family().label() + " pool is ramping up after an outage and had no slot"
                    + " within " + maxWait.toMillis() + " ms"), Map.of("Retry-After", "1"));
        }
        try {
            return UpstreamResponse.onClose(next.send(request), slot::close);
        } catch (IOException | InterruptedException | GatewayRejection | RuntimeException failure) {
            slot.close();
            throw failure;
        }
    }
}
