package dev.xigate.gateway.resilience;

import dev.xigate.cache.CacheConfig;
import dev.xigate.circuit.CircuitConfig;
import dev.xigate.retry.RetryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Returns how the gateway's resilience stages behave. Immutable.
 *
 * @param retry attempts, deadlines, backoff and budget
 * @param circuit breaker thresholds, durations and slow start
 * @param cache the audio cache's tiers and rules
 * @param endpointDeadlines overall deadlines per endpoint name ({@code text_to_speech_stream}, ...) that replace
 *     the retry config's default
 * @param streamIdleTimeout the longest silence allowed inside an upstream body before it is cut
 * @param coalescing whether identical text-to-speech requests in flight share one upstream call
 */
public record ResilienceSettings(RetryConfig retry, CircuitConfig circuit, CacheConfig cache,
        Map<String, Duration> endpointDeadlines, Duration streamIdleTimeout, boolean coalescing) {
    /** Default silence allowed inside a body. */
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Creates settings. */
    public ResilienceSettings {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(circuit, "circuit");
        Objects.requireNonNull(cache, "cache");
        endpointDeadlines = Map.copyOf(endpointDeadlines);
        Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
        if (streamIdleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("streamIdleTimeout: " + streamIdleTimeout + " (expected: >= 1ms)");
        }
    }

    /** Returns the defaults: every component on, memory-only cache. */
    public static ResilienceSettings ofDefaults() {
        return new ResilienceSettings(RetryConfig.ofDefaults(), CircuitConfig.ofDefaults(), CacheConfig.ofDefaults(),
                Map.of(), DEFAULT_STREAM_IDLE_TIMEOUT, true);
    }

    /** Returns a copy with another retry config. */
    public ResilienceSettings withRetry(RetryConfig value) {
        return new ResilienceSettings(value, circuit, cache, endpointDeadlines, streamIdleTimeout, coalescing);
    }

    /** Returns a copy with another circuit config. */
    public ResilienceSettings withCircuit(CircuitConfig value) {
        return new ResilienceSettings(retry, value, cache, endpointDeadlines, streamIdleTimeout, coalescing);
    }

    /** Returns a copy with another cache config. */
    public ResilienceSettings withCache(CacheConfig value) {
        return new ResilienceSettings(retry, circuit, value, endpointDeadlines, streamIdleTimeout, coalescing);
    }

    /** Returns a copy with another body idle timeout. */
    public ResilienceSettings withStreamIdleTimeout(Duration value) {
        return new ResilienceSettings(retry, circuit, cache, endpointDeadlines, value, coalescing);
    }

    /** Returns the overall deadline of an endpoint. */
    public Duration deadlineOf(String endpoint) {
        return endpointDeadlines.getOrDefault(endpoint, retry.overallDeadline());
    }
}
