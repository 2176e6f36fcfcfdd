package dev.xigate.cache;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Returns whether a request's audio may be cached: the cache is on, the client did not bypass it, and the request
 * did not ask the upstream to keep no data ({@code enable_logging=false}, ElevenLabs' zero-retention mode) unless
 * the config allows caching those. Immutable.
 */
public final class CachePolicy {
    private final CacheConfig config;

    /** Creates a policy over a config. */
    public CachePolicy(CacheConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Returns whether a request's answer may be read from and written to the cache.
     *
     * @param query the request's query parameters
     * @param directive what the client asked in {@code x-xigate-cache}
     */
    public boolean isCacheable(Map<String, List<String>> query, CacheDirective directive) {
        if (!config.enabled() || directive == CacheDirective.BYPASS) {
            return false;
        }
        return config.cacheZeroRetention() || !asksZeroRetention(query);
    }

    /** Returns the largest answer that may be stored, in bytes. */
    public long maxEntryBytes() {
        return config.maxEntryBytes();
    }

    /** Returns whether an answer of this size may be stored. */
    public boolean fits(long bodyBytes) {
        return bodyBytes <= config.maxEntryBytes();
    }

    /** Returns whether the query asks the upstream to keep no data. */
    public static boolean asksZeroRetention(Map<String, List<String>> query) {
        List<String> values = query.getOrDefault("enable_logging", List.of());
        return values.stream().anyMatch(value -> value.trim().toLowerCase(Locale.ROOT).equals("false"));
    }
}
