package dev.xigate.metrics;

import java.util.List;

/**
 * Holds every metric name and label name xigate exposes, in one place.
 *
 * <p>The names are Prometheus metric family names. Prometheus adds a suffix per sample type: counters expose their
 * samples as {@code <family>_total} (Micrometer and the Prometheus client 1.x strip a trailing {@code _total} from
 * the registered name and add it back), histograms as {@code _bucket}, {@code _sum} and {@code _count}. So the seed's
 * {@code elevenlabs_requests_total} is exposed exactly, and the seed's counter
 * {@code elevenlabs_characters_generated} appears as the family in the {@code # TYPE} line with its samples named
 * {@code elevenlabs_characters_generated_total}. docs/observability.md explains the choice.
 */
public final class MetricNames {
    /** Counter of completed requests: labels family, endpoint, status_class, priority, client. */
    public static final String REQUESTS_TOTAL = "elevenlabs_requests_total";
    /** Histogram of the whole request time at the gateway: labels family, endpoint, status_class. */
    public static final String REQUESTS_DURATION_SECONDS = "elevenlabs_requests_duration_seconds";
    /** Gauge of requests holding a permit (running upstream) per pool: label family. */
    public static final String CONCURRENT_REQUESTS = "elevenlabs_concurrent_requests";
    /** Gauge of requests waiting for a permit: labels family, priority. */
    public static final String QUEUE_DEPTH = "elevenlabs_queue_depth";
    /** Counter of failed requests: labels family, endpoint, error_type. */
    public static final String ERRORS_TOTAL = "elevenlabs_errors_total";
    /** Counter of upstream retry attempts (not counting the first attempt): labels family, reason. */
    public static final String RETRIES_TOTAL = "elevenlabs_retries_total";
    /** Gauge of a circuit breaker's state (see {@link #BREAKER_CLOSED}, ...): label breaker. */
    public static final String CIRCUIT_BREAKER_STATE = "elevenlabs_circuit_breaker_state";
    /** Counter of characters sent for generation by successful requests: labels family, client. */
    public static final String CHARACTERS_GENERATED = "elevenlabs_characters_generated";
    /** Counter of seconds of audio produced (or transcribed) by successful requests: label family. */
    public static final String AUDIO_DURATION_SECONDS = "elevenlabs_audio_duration_seconds";
    /** Gauge of the account's character quota used this period, 0..100. */
    public static final String QUOTA_USED_PERCENTAGE = "elevenlabs_quota_used_percentage";

    /** Histogram of the time a request waited for a permit: labels family, priority. */
    public static final String QUEUE_WAIT_SECONDS = "elevenlabs_queue_wait_seconds";
    /** Histogram of the time until the first response byte was sent to the client: labels family, endpoint. */
    public static final String TIME_TO_FIRST_BYTE_SECONDS = "elevenlabs_time_to_first_byte_seconds";
    /** Gauge of the effective concurrency limit of a pool (it moves when the limit adapts): label family. */
    public static final String CONCURRENCY_LIMIT = "elevenlabs_concurrency_limit";
    /** Counter of audio cache lookups: labels family, result (hit, miss). */
    public static final String CACHE_REQUESTS_TOTAL = "elevenlabs_cache_requests_total";
    /** Counter of answers served from a fallback (cached audio while the upstream fails): labels family, reason. */
    public static final String FALLBACKS_TOTAL = "elevenlabs_fallbacks_total";
    /** Gauge: 1 when the last quota poll succeeded with the configured key, else 0. */
    public static final String UPSTREAM_UP = "elevenlabs_upstream_up";

    /** Label: the model family ({@link dev.xigate.plan.ModelFamily#label()}), or {@code none} without a pool. */
    public static final String TAG_FAMILY = "family";
    /** Label: the endpoint kind (tts, tts_stream, stt, ...), never a raw path. */
    public static final String TAG_ENDPOINT = "endpoint";
    /** Label: the HTTP status class (2xx, 4xx, 5xx). */
    public static final String TAG_STATUS_CLASS = "status_class";
    /** Label: the request priority. */
    public static final String TAG_PRIORITY = "priority";
    /** Label: the configured client name (never a key, never a user id). */
    public static final String TAG_CLIENT = "client";
    /** Label: the error classification (rate_limited, upstream_5xx, network, ...). */
    public static final String TAG_ERROR_TYPE = "error_type";
    /** Label: why something happened (a retry or a fallback). */
    public static final String TAG_REASON = "reason";
    /** Label: the circuit breaker's name. */
    public static final String TAG_BREAKER = "breaker";
    /** Label: a cache lookup result. */
    public static final String TAG_RESULT = "result";

    /** {@link #CIRCUIT_BREAKER_STATE} value of a closed breaker (calls pass). */
    public static final double BREAKER_CLOSED = 0;
    /** {@link #CIRCUIT_BREAKER_STATE} value of an open breaker (calls are refused). */
    public static final double BREAKER_OPEN = 1;
    /** {@link #CIRCUIT_BREAKER_STATE} value of a half-open breaker (trial calls pass). */
    public static final double BREAKER_HALF_OPEN = 2;

    /** The value every label takes when the real value is absent or past the label's cardinality cap. */
    public static final String OTHER = "other";

    /** The seed's ten metric family names, in the seed's order. */
    public static final List<String> SEED_NAMES = List.of(REQUESTS_TOTAL,
            REQUESTS_DURATION_SECONDS, CONCURRENT_REQUESTS, QUEUE_DEPTH, ERRORS_TOTAL, RETRIES_TOTAL,
            CIRCUIT_BREAKER_STATE, CHARACTERS_GENERATED, AUDIO_DURATION_SECONDS, QUOTA_USED_PERCENTAGE);

    private MetricNames() {
    }
}
