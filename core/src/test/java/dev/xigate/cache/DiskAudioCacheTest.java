package dev.xigate.cache;

import static dev.xigate.cache.MemoryAudioCacheTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.testing.FakeTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskAudioCacheTest {
    private static final long ENTRY_OVERHEAD = 4 + 4 + 8 + 2 + "audio/mpeg".length() + 4;

    @TempDir
    Path directory;

    private final FakeTime time = new FakeTime();

    private DiskAudioCache open(long maxBytes) {
        return new DiskAudioCache(directory, maxBytes, Duration.ofDays(1), time.clock());
    }

    private CachedAudio audio(int size, int fill) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) fill);
        return new CachedAudio("audio/mpeg", body, time.clock().instant());
    }

    private long filesIn() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    @Test
    void returnsWhatWasStoredAndLeavesNoTempFile() throws IOException {
        DiskAudioCache cache = open(1 << 20);

        cache.put(key(1), audio(1000, 1));

        assertThat(cache.get(key(1))).contains(audio(1000, 1));
        assertThat(cache.weightBytes()).isEqualTo(1000 + ENTRY_OVERHEAD);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(key(1).sha256() + ".audio");
        }
    }

    @Test
    void survivesRestart() {
        DiskAudioCache first = open(1 << 20);
        first.put(key(1), audio(1000, 1));
        first.put(key(2), audio(500, 2));

        DiskAudioCache second = open(1 << 20);

        assertThat(second.size()).isEqualTo(2);
        assertThat(second.weightBytes()).isEqualTo(1500 + 2 * ENTRY_OVERHEAD);
        assertThat(second.get(key(1))).contains(audio(1000, 1));
        assertThat(second.get(key(2))).contains(audio(500, 2));
    }

    @Test
    void evictsLeastRecentlyUsedToStayUnderLimit() {
        DiskAudioCache cache = open(3 * (100 + ENTRY_OVERHEAD));
        cache.put(key(1), audio(100, 1));
        cache.put(key(2), audio(100, 2));
        cache.put(key(3), audio(100, 3));
        cache.get(key(1));

        cache.put(key(4), audio(100, 4));

        assertThat(cache.get(key(2))).isEmpty();
        assertThat(cache.get(key(1))).isPresent();
        assertThat(cache.get(key(3))).isPresent();
        assertThat(cache.get(key(4))).isPresent();
        assertThat(cache.weightBytes()).isLessThanOrEqualTo(3 * (100 + ENTRY_OVERHEAD));
    }

    @Test
    void restartWithSmallerLimitEvictsDownToIt() throws IOException {
        DiskAudioCache first = open(1 << 20);
        for (int i = 0; i < 10; i++) {
            first.put(key(i), audio(100, i));
        }

        DiskAudioCache second = open(4 * (100 + ENTRY_OVERHEAD));

        assertThat(second.size()).isEqualTo(4);
        assertThat(filesIn()).isEqualTo(4);
    }

    @Test
    void restartKeepsRecencyOrderForEviction() {
        DiskAudioCache first = open(1 << 20);
        first.put(key(1), audio(100, 1));
        time.advance(Duration.ofSeconds(1));
        first.put(key(2), audio(100, 2));
        time.advance(Duration.ofSeconds(1));
        first.get(key(1));
        time.advance(Duration.ofSeconds(1));

        DiskAudioCache second = open(1 << 20);
        second.put(key(3), audio(100, 3));
        DiskAudioCache third = open(2 * (100 + ENTRY_OVERHEAD));

        assertThat(third.get(key(2))).isEmpty();
        assertThat(third.get(key(1))).isPresent();
        assertThat(third.get(key(3))).isPresent();
    }

    @Test
    void expiredEntriesAreMissesAndDroppedOnStart() throws IOException {
        DiskAudioCache cache = open(1 << 20);
        cache.put(key(1), audio(100, 1));
        time.advance(Duration.ofHours(23));
        cache.put(key(2), audio(100, 2));
        time.advance(Duration.ofHours(2));

        assertThat(cache.get(key(1))).isEmpty();
        DiskAudioCache reopened = open(1 << 20);
        assertThat(reopened.size()).isEqualTo(1);
        assertThat(reopened.get(key(2))).isPresent();
        assertThat(filesIn()).isEqualTo(1);
    }

    @Test
    void brokenAndTemporaryFilesAreDeletedOnStart() throws IOException {
        DiskAudioCache first = open(1 << 20);
        first.put(key(1), audio(100, 1));
        first.put(key(2), audio(100, 2));
        Path truncated = directory.resolve(key(2).sha256() + ".audio");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(truncated), 50));
        Files.write(directory.resolve(key(3).sha256() + ".audio"), new byte[] {1, 2, 3});
        Files.write(directory.resolve("." + key(4).sha256() + ".x.tmp"), new byte[10]);

        DiskAudioCache second = open(1 << 20);

        assertThat(second.size()).isEqualTo(1);
        assertThat(second.get(key(1))).isPresent();
        assertThat(filesIn()).isEqualTo(1);
    }

    @Test
    void fileCorruptedAfterStartIsAMiss() throws IOException {
        DiskAudioCache cache = open(1 << 20);
        cache.put(key(1), audio(100, 1));
        Files.write(directory.resolve(key(1).sha256() + ".audio"), new byte[] {0, 0, 0, 0, 0, 0, 0, 0});

        assertThat(cache.get(key(1))).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void replacingAnEntryKeepsSizeRight() {
        DiskAudioCache cache = open(1 << 20);
        cache.put(key(1), audio(100, 1));

        cache.put(key(1), audio(300, 2));

        assertThat(cache.weightBytes()).isEqualTo(300 + ENTRY_OVERHEAD);
        assertThat(cache.get(key(1))).contains(audio(300, 2));
    }

    @Test
    void tieredCachePromotesDiskHitToMemory() {
        MemoryAudioCache memory = new MemoryAudioCache(1 << 20, Duration.ofDays(1), time.nanoClock());
        open(1 << 20).put(key(1), audio(100, 1));
        TieredAudioCache tiered = new TieredAudioCache(memory, open(1 << 20));

        assertThat(memory.get(key(1))).isEmpty();
        assertThat(tiered.get(key(1))).contains(audio(100, 1));
        assertThat(memory.get(key(1))).contains(audio(100, 1));
    }

    @Test
    void tieredCacheWritesBothTiers() {
        CacheConfig config = CacheConfig.ofDefaults().withDirectory(directory);
        AudioCache cache = config.create(time.clock(), time.nanoClock());

        cache.put(key(1), audio(100, 1));

        assertThat(cache).isInstanceOf(TieredAudioCache.class);
        assertThat(((TieredAudioCache) cache).memory().get(key(1))).isPresent();
        assertThat(open(1 << 20).get(key(1))).isPresent();
    }
}
