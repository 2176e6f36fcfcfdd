package dev.xigate.cache;

import java.util.Locale;

/** Returns what the client asked of the cache in the {@code x-xigate-cache} request header. */
public enum CacheDirective {
    /** No header: cache the answer, serve cached audio only as a fallback when the upstream fails. */
    DEFAULT("default"),
    /** Serve cached audio before calling the upstream at all; call it only on a miss. */
    PREFER("prefer"),
    /** Neither read nor write the cache for this request. */
    BYPASS("bypass");

    /** The request header carrying the directive (and the response header marking how the answer was served). */
    public static final String HEADER = "x-xigate-cache";
    /** The response header value on an answer served from the cache because the upstream failed. */
    public static final String FALLBACK = "fallback";
    /** The response header value on an answer served from the cache because the client preferred it. */
    public static final String HIT = "hit";
    /** The response header value on an answer that came from the upstream. */
    public static final String MISS = "miss";

    private final String word;

    CacheDirective(String word) {
        this.word = word;
    }

    /** Returns the header word. */
    public String word() {
        return word;
    }

    /**
     * Returns the directive a header value names; a missing or blank header is {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException if the value names no directive
     */
    public static CacheDirective parse(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return DEFAULT;
        }
        String word = headerValue.trim().toLowerCase(Locale.ROOT);
        for (CacheDirective directive : values()) {
            if (directive.word.equals(word)) {
                return directive;
            }
        }
        throw new IllegalArgumentException(HEADER + ": " + headerValue + " (expected: one of prefer, bypass)");
    }
}
