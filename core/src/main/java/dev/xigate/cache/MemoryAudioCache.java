package dev.xigate.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Holds audio in memory, bounded by total bytes (Caffeine, weighted by body size; its window TinyLFU policy
 * evicts) and by age. Thread-safe.
 */
public final class MemoryAudioCache implements AudioCache {
    private final Cache<CacheKey, CachedAudio> entries;
    private final long maxBytes;

    /**
     * Creates a memory tier.
     *
     * @param maxBytes the most audio bytes held (> 0)
     * @param maxAge how long an entry lives after it is stored (> 0)
     * @param nanoClock the clock expiry runs on
     */
    public MemoryAudioCache(long maxBytes, Duration maxAge, LongSupplier nanoClock) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        Objects.requireNonNull(nanoClock, "nanoClock");
        this.maxBytes = maxBytes;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((CacheKey key, CachedAudio audio) -> Math.max(1, audio.size()))
                .expireAfterWrite(maxAge)
                .ticker(nanoClock::getAsLong)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Optional<CachedAudio> get(CacheKey key) {
        return Optional.ofNullable(entries.getIfPresent(key));
    }

    @Override
    public void put(CacheKey key, CachedAudio audio) {
        // An entry larger than the whole tier would evict everything and then itself: decline it up front.
        if (audio.size() <= maxBytes) {
            entries.put(key, audio);
        }
    }

    @Override
    public void invalidate(CacheKey key) {
        entries.invalidate(key);
    }

    @Override
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    @Override
    public long weightBytes() {
        entries.cleanUp();
        return entries.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0L)).orElse(0L);
    }
}
