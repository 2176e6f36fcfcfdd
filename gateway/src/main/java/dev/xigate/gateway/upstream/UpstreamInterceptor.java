package dev.xigate.gateway.upstream;

/**
 * Returns a call that wraps the next stage of the pipeline: retries, a circuit breaker, a cache, coalescing,
 * metrics.
 *
 * <p>An interceptor may answer without calling {@code next} (a cache hit), call it several times (a retry), or
 * decorate what it returns; whatever it returns must release its own resources when closed.
 */
@FunctionalInterface
public interface UpstreamInterceptor {
    /** Returns the call that runs this stage and then, if it chooses, {@code next}. */
    UpstreamCall wrap(UpstreamCall next);
}
