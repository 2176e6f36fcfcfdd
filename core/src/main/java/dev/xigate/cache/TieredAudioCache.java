package dev.xigate.cache;

import java.util.Objects;
import java.util.Optional;

/**
 * Returns audio from the memory tier first, then the disk tier (promoting a disk hit into memory), and stores new
 * audio in both. Thread-safe when both tiers are.
 */
public final class TieredAudioCache implements AudioCache {
    private final AudioCache memory;
    private final AudioCache disk;

    /**
     * Creates a two-tier cache.
     *
     * @param memory the fast, small tier
     * @param disk the large tier that survives restarts
     */
    public TieredAudioCache(AudioCache memory, AudioCache disk) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.disk = Objects.requireNonNull(disk, "disk");
    }

    @Override
    public Optional<CachedAudio> get(CacheKey key) {
        Optional<CachedAudio> hot = memory.get(key);
        if (hot.isPresent()) {
            return hot;
        }
        Optional<CachedAudio> cold = disk.get(key);
        cold.ifPresent(audio -> memory.put(key, audio));
        return cold;
    }

    @Override
    public void put(CacheKey key, CachedAudio audio) {
        memory.put(key, audio);
        disk.put(key, audio);
    }

    @Override
    public void invalidate(CacheKey key) {
        memory.invalidate(key);
        disk.invalidate(key);
    }

    /** Returns the entries on disk (every memory entry is also there unless the disk tier declined it). */
    @Override
    public long size() {
        return disk.size();
    }

    /** Returns the bytes on disk. */
    @Override
    public long weightBytes() {
        return disk.weightBytes();
    }

    /** Returns the memory tier. */
    public AudioCache memory() {
        return memory;
    }

    /** Returns the disk tier. */
    public AudioCache disk() {
        return disk;
    }

    @Override
    public void close() {
        memory.close();
        disk.close();
    }
}
