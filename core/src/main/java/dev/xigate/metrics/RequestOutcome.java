package dev.xigate.metrics;

import dev.xigate.plan.ModelFamily;
import java.util.Objects;

/**
 * Records what one finished request did: the input of the metrics and of the access log line.
 *
 * <p>Only {@code family}, {@code endpoint}, {@code priority}, {@code client}, the status class and
 * {@code errorType} become metric labels; the request id, user id and model are for the log only. Immutable.
 *
 * @param requestId the gateway's request id
 * @param userId the caller's user id header, or {@code null}
 * @param client the configured client name the key belongs to
 * @param endpoint the endpoint kind (tts, tts_stream, stt, ...), never a raw path
 * @param model the model id asked for, or {@code null}
 * @param family the concurrency pool the request ran in, or {@code null} for a request that needs no permit
 * @param priority the request priority (high, normal, low)
 * @param status the HTTP status sent to the client
 * @param attempts upstream attempts made, 0 when the request never reached the upstream
 * @param queueWaitNanos time spent waiting for a permit
 * @param durationNanos whole time at the gateway, from accept to last byte
 * @param firstByteNanos time to the first response byte, or -1 when no byte was sent
 * @param characters characters sent for generation
 * @param audioSeconds seconds of audio produced or transcribed, 0 when unknown
 * @param errorType the error classification, or {@code null} for a success
 * @param cache what the audio cache did for this request
 */
public record RequestOutcome(String requestId, String userId, String client, String endpoint, String model,
        ModelFamily family, String priority, int status, int attempts, long queueWaitNanos, long durationNanos,
        long firstByteNanos, long characters, double audioSeconds, String errorType, CacheResult cache) {

    /** Creates an outcome, checking the fields the metrics need. */
    public RequestOutcome {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(cache, "cache");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
    }

    /** The family label of requests that need no permit (voices, models, user, history...). */
    public static final String NO_FAMILY = "none";

    /** Returns the family's label, or {@link #NO_FAMILY} for a request that needs no permit. */
    public String familyLabel() {
        return family == null ? NO_FAMILY : family.label();
    }

    /** Returns whether the request failed (status 400 and above). */
    public boolean isError() {
        return status >= 400;
    }

    /** Returns the status class label: {@code 2xx}, {@code 4xx}, ... */
    public String statusClass() {
        return statusClassOf(status);
    }

    /** Returns the status class label of an HTTP status, for example {@code 5xx} for 503. */
    public static String statusClassOf(int status) {
        return switch (status / 100) {
            case 1 -> "1xx";
            case 2 -> "2xx";
            case 3 -> "3xx";
            case 4 -> "4xx";
            default -> "5xx";
        };
    }

    /** What the audio cache did for one request. */
    public enum CacheResult {
        /** The request was served from the cache. */
        HIT,
        /** The cache was asked and had nothing. */
        MISS,
        /** The upstream failed and cached audio was served instead. */
        FALLBACK,
        /** The request is not cacheable or the caller opted out. */
        BYPASS
    }
}
