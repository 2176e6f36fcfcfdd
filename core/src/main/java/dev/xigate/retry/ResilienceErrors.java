package dev.xigate.retry;

import dev.xigate.error.ApiError;
import dev.xigate.plan.ModelFamily;
import java.time.Duration;

/** Returns xigate's own errors for upstream calls that cannot be answered, in the ElevenLabs error shape. */
public final class ResilienceErrors {
    /** The {@code detail.status} of an answer refused because the family's breaker is open. */
    public static final String CIRCUIT_OPEN = "circuit_open";
    /** The {@code detail.status} of an answer that failed because the upstream could not be reached. */
    public static final String UPSTREAM_UNAVAILABLE = "upstream_unavailable";
    /** The {@code detail.status} of an answer that failed because the upstream did not answer in time. */
    public static final String UPSTREAM_TIMEOUT = "upstream_timeout";

    private ResilienceErrors() {
    }

    /** Returns the 503 for an open breaker. */
    public static ApiError circuitOpen(ModelFamily family, Duration retryAfter) {
        return ApiError.of(503, "service_unavailable", CIRCUIT_OPEN, "The upstream is failing for the "
                + family.label() + " model family, so xigate stopped calling it for now; retry after "
                + RetryAfterHeader.format(retryAfter) + " seconds.");
    }

    /** Returns the 502 for an upstream that could not be reached after every allowed attempt. */
    public static ApiError upstreamUnavailable(int attempts) {
        return ApiError.of(502, "upstream_error", UPSTREAM_UNAVAILABLE,
                "The upstream could not be reached (" + attempts + " attempts).");
    }

    /** Returns the 504 for an upstream that did not answer within the request's time limits. */
    public static ApiError upstreamTimeout(int attempts) {
        return ApiError.of(504, "upstream_error", UPSTREAM_TIMEOUT,
                "The upstream did not answer in time (" + attempts + " attempts).");
    }
}
