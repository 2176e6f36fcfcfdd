package dev.xigate.gateway.upstream;

import java.io.IOException;

/**
 * Returns the upstream's answer to one request: the seam every stage of the request path plugs into.
 *
 * <p>The gateway builds its pipeline as a chain of {@link UpstreamInterceptor}s ending in the HTTP call; the
 * limiter's admission step is one of them, and the resilience stages (retry, circuit breaker, cache, coalescing)
 * wrap the chain before or after it. The caller closes the response, which releases whatever the stages hold
 * (the permit above all), on every path.
 */
@FunctionalInterface
public interface UpstreamCall {
    /**
     * Returns the response, whose body is still to be read.
     *
     * @throws IOException if the upstream cannot be reached or fails mid-way
     * @throws InterruptedException if the calling thread was interrupted while waiting
     * @throws GatewayRejection if a stage refuses the request (queue full, client gone, ...)
     */
    UpstreamResponse send(UpstreamRequest request) throws IOException, InterruptedException, GatewayRejection;

    /**
     * Returns whether this call bounds its own wait for response headers by the calling thread's
     * {@link AttemptTimeout}; if not, the attempt-timeout stage enforces it from another thread.
     */
    default boolean honoursAttemptTimeout() {
        return false;
    }
}
