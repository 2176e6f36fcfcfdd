package dev.xigate.cache;

import java.util.Optional;

/** Returns cached audio by key and stores new audio. Implementations are thread-safe. */
public interface AudioCache extends AutoCloseable {
    /** Returns the audio stored under a key, if present and not expired. */
    Optional<CachedAudio> get(CacheKey key);

    /** Stores audio under a key, replacing what was there; may decline it (too large for the tier). */
    void put(CacheKey key, CachedAudio audio);

    /** Removes a key. */
    void invalidate(CacheKey key);

    /** Returns the number of entries held. */
    long size();

    /** Returns the bytes of audio held. */
    long weightBytes();

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
