package dev.xigate.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MemoryAudioCacheTest {
    private final FakeTime time = new FakeTime();

    static CacheKey key(int n) {
        return new CacheKey(String.format("%064x", n));
    }

    static CachedAudio audio(int size, byte fill) {
        byte[] body = new byte[size];
        Arrays.fill(body, fill);
        return new CachedAudio("audio/mpeg", body, Instant.parse("2026-12-03T12:00:00Z"));
    }

    @Test
    void returnsWhatWasStored() {
        MemoryAudioCache cache = new MemoryAudioCache(1000, Duration.ofHours(1), time.nanoClock());

        cache.put(key(1), audio(10, (byte) 1));

        assertThat(cache.get(key(1))).contains(audio(10, (byte) 1));
        assertThat(cache.get(key(2))).isEmpty();
        assertThat(cache.weightBytes()).isEqualTo(10);
    }

    @Test
    void evictsToStayUnderByteLimit() {
        MemoryAudioCache cache = new MemoryAudioCache(1000, Duration.ofHours(1), time.nanoClock());

        for (int i = 0; i < 30; i++) {
            cache.put(key(i), audio(100, (byte) i));
        }

        assertThat(cache.weightBytes()).isLessThanOrEqualTo(1000);
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void declinesEntryLargerThanTier() {
        MemoryAudioCache cache = new MemoryAudioCache(100, Duration.ofHours(1), time.nanoClock());
        cache.put(key(1), audio(50, (byte) 1));

        cache.put(key(2), audio(101, (byte) 2));

        assertThat(cache.get(key(2))).isEmpty();
        assertThat(cache.get(key(1))).isPresent();
    }

    @Test
    void expiresAfterMaxAge() {
        MemoryAudioCache cache = new MemoryAudioCache(1000, Duration.ofMinutes(5), time.nanoClock());
        cache.put(key(1), audio(10, (byte) 1));

        time.advance(Duration.ofMinutes(4));
        assertThat(cache.get(key(1))).isPresent();
        time.advance(Duration.ofMinutes(2));
        assertThat(cache.get(key(1))).isEmpty();
    }

    @Test
    void invalidateRemoves() {
        MemoryAudioCache cache = new MemoryAudioCache(1000, Duration.ofHours(1), time.nanoClock());
        cache.put(key(1), audio(10, (byte) 1));

        cache.invalidate(key(1));

        assertThat(cache.get(key(1))).isEmpty();
    }

    @Test
    void cachedAudioIsNotChangedThroughItsArrays() {
        byte[] body = {1, 2, 3};
        CachedAudio audio = new CachedAudio("audio/mpeg", body, Instant.EPOCH);
        body[0] = 9;
        audio.body()[1] = 9;

        assertThat(audio.body()).containsExactly(1, 2, 3);
    }

    @Test
    void rejectsBadKeyAndLimits() {
        assertThatThrownBy(() -> new CacheKey("../../etc/passwd"))
                .hasMessage("sha256: ../../etc/passwd (expected: 64 lower-case hex digits)");
        assertThatThrownBy(() -> new MemoryAudioCache(0, Duration.ofHours(1), time.nanoClock()))
                .hasMessage("maxBytes: 0 (expected: > 0)");
    }
}
