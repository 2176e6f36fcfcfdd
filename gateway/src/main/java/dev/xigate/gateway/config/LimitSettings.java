package dev.xigate.gateway.config;

import java.time.Duration;
import java.util.Map;

/**
 * How requests wait for an upstream slot.
 *
 * @param families per-family concurrency limits overriding the plan table, keyed by family label
 *     ({@code multilingual}, {@code turbo_flash}, {@code stt}, {@code music}, {@code default})
 * @param queueCapacity how many requests may wait per family before new ones get 429 {@code queue_full}
 *     (100 by default)
 * @param queueTimeout how long one request may wait for a slot before it gets 429 {@code queue_timeout}
 *     (30 s by default)
 * @param adaptive whether the limit follows the upstream's {@code maximum-concurrent-requests} header
 *     (true by default)
 */
public record LimitSettings(Map<String, Integer> families, Integer queueCapacity, Duration queueTimeout,
        Boolean adaptive) {

    /** The default queue capacity per family. */
    public static final int DEFAULT_QUEUE_CAPACITY = 100;
    /** The default longest wait for a slot. */
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(30);

    /** Creates the settings, filling defaults for missing values. */
    public LimitSettings {
        families = families == null ? Map.of() : Map.copyOf(families);
        queueCapacity = queueCapacity == null ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
        queueTimeout = queueTimeout == null ? DEFAULT_QUEUE_TIMEOUT : queueTimeout;
        adaptive = adaptive == null || adaptive;
    }

    /** Returns the default settings. */
    public static LimitSettings ofDefaults() {
        return new LimitSettings(null, null, null, null);
    }

    /** Returns a copy with other per-family overrides. */
    public LimitSettings withFamilies(Map<String, Integer> newFamilies) {
        return new LimitSettings(newFamilies, queueCapacity, queueTimeout, adaptive);
    }
}
