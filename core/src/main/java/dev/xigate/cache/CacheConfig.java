package dev.xigate.cache;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Returns how the audio cache is sized and what it may hold. Immutable.
 *
 * @param enabled whether audio is cached at all
 * @param memoryMaxBytes the memory tier's byte limit
 * @param directory the disk tier's directory, or {@code null} for memory only
 * @param diskMaxBytes the disk tier's byte limit
 * @param maxAge how long an entry lives
 * @param maxEntryBytes the largest single answer that is cached (larger bodies pass through uncached)
 * @param cacheZeroRetention whether requests with {@code enable_logging=false} may be cached
 */
public record CacheConfig(boolean enabled, long memoryMaxBytes, Path directory, long diskMaxBytes, Duration maxAge,
        long maxEntryBytes, boolean cacheZeroRetention) {
    /** Default memory tier: 64 MiB. */
    public static final long DEFAULT_MEMORY_MAX_BYTES = 64L << 20;
    /** Default disk tier: 1 GiB. */
    public static final long DEFAULT_DISK_MAX_BYTES = 1L << 30;
    /** Default entry life: 7 days. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    /** Default largest cached answer: 16 MiB. */
    public static final long DEFAULT_MAX_ENTRY_BYTES = 16L << 20;

    /** Creates a config, checking every field. */
    public CacheConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        if (memoryMaxBytes <= 0) {
            throw new IllegalArgumentException("memoryMaxBytes: " + memoryMaxBytes + " (expected: > 0)");
        }
        if (diskMaxBytes <= 0) {
            throw new IllegalArgumentException("diskMaxBytes: " + diskMaxBytes + " (expected: > 0)");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        if (maxEntryBytes <= 0) {
            throw new IllegalArgumentException("maxEntryBytes: " + maxEntryBytes + " (expected: > 0)");
        }
    }

    /** Returns the defaults: enabled, memory only (no directory), zero-retention requests not cached. */
    public static CacheConfig ofDefaults() {
        return new CacheConfig(true, DEFAULT_MEMORY_MAX_BYTES, null, DEFAULT_DISK_MAX_BYTES, DEFAULT_MAX_AGE,
                DEFAULT_MAX_ENTRY_BYTES, false);
    }

    /** Returns a copy whose disk tier lives in {@code value}. */
    public CacheConfig withDirectory(Path value) {
        return new CacheConfig(enabled, memoryMaxBytes, value, diskMaxBytes, maxAge, maxEntryBytes,
                cacheZeroRetention);
    }

    /** Creates the cache this config describes: memory only, or memory over disk when a directory is set. */
    public AudioCache create(Clock clock, LongSupplier nanoClock) {
        AudioCache memory = new MemoryAudioCache(memoryMaxBytes, maxAge, nanoClock);
        return directory == null ? memory
                : new TieredAudioCache(memory, new DiskAudioCache(directory, diskMaxBytes, maxAge, clock));
    }
}
