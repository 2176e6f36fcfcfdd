package dev.xigate.cache;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds audio in a directory, bounded by total bytes and by age, so that it survives restarts.
 *
 * <p>One file per entry, {@code <sha256>.audio}: a magic number, format version, store time, content type,
 * length, then the body. Writes go to a temporary file in the same directory, are forced to disk and then moved
 * over the target atomically, so a crash never leaves a half-written entry under a real name. On start the index
 * is rebuilt by reading every entry's header: broken files, leftover temporary files and expired entries are
 * deleted, and the least recently used entries (by file modification time, which reads refresh) are evicted down
 * to the size limit. Eviction on put is least-recently-used. Thread-safe; I/O failures on read count as a miss and
 * on write as a declined put (a cache must never fail a request).
 */
public final class DiskAudioCache implements AudioCache {
    private static final Logger logger = LoggerFactory.getLogger(DiskAudioCache.class);
    private static final int MAGIC = 0x58474131;
    private static final int VERSION = 1;
    private static final String SUFFIX = ".audio";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<CacheKey, Entry> index = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    // Orders entries by recency of use; starts after the highest value restored from file times.
    private final AtomicLong useCounter = new AtomicLong();

    private record Entry(long fileBytes, Instant storedAt, long lastUse) {
        Entry touched(long use) {
            return new Entry(fileBytes, storedAt, use);
        }
    }

    /**
     * Creates a disk tier over a directory (created if missing) and rebuilds its index from the files there.
     *
     * @param directory where entries live; nothing else should write there
     * @param maxBytes the most bytes the entry files may take (> 0)
     * @param maxAge how long an entry lives after it was stored (> 0)
     * @param clock the time source for ages
     * @throws UncheckedIOException if the directory cannot be created or listed
     */
    public DiskAudioCache(Path directory, long maxBytes, Duration maxAge, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(directory);
            rebuildIndex();
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot open audio cache directory: " + directory, failure);
        }
    }

    @Override
    public Optional<CachedAudio> get(CacheKey key) {
        Entry entry = index.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (isExpired(entry.storedAt())) {
            remove(key);
            return Optional.empty();
        }
        Path file = fileOf(key);
        try {
            CachedAudio audio = read(file);
            index.computeIfPresent(key, (k, current) -> current.touched(useCounter.incrementAndGet()));
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
            return Optional.of(audio);
        } catch (IOException | RuntimeException failure) {
            logger.warn("- Audio cache entry unreadable, dropping it key={}", key, failure);
            remove(key);
            return Optional.empty();
        }
    }

    @Override
    public void put(CacheKey key, CachedAudio audio) {
        byte[] encoded = encode(audio);
        if (encoded.length > maxBytes || isExpired(audio.storedAt())) {
            return;
        }
        Path target = fileOf(key);
        Path temp = directory.resolve("." + key.sha256() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            writeDurably(temp, encoded);
            // Recency survives restarts as the file time; set it from the injected clock so reads and writes agree.
            Files.setLastModifiedTime(temp, FileTime.from(clock.instant()));
            moveAtomically(temp, target);
        } catch (IOException failure) {
            logger.warn("- Audio cache write failed key={}", key, failure);
            deleteQuietly(temp);
            return;
        }
        Entry previous = index.put(key, new Entry(encoded.length, audio.storedAt(), useCounter.incrementAndGet()));
        totalBytes.addAndGet(encoded.length - (previous == null ? 0 : previous.fileBytes()));
        evictToLimit();
    }

    @Override
    public void invalidate(CacheKey key) {
        remove(key);
    }

    @Override
    public long size() {
        return index.size();
    }

    @Override
    public long weightBytes() {
        return totalBytes.get();
    }

    /** Returns the directory entries live in. */
    public Path directory() {
        return directory;
    }

    private boolean isExpired(Instant storedAt) {
        return !clock.instant().isBefore(storedAt.plus(maxAge));
    }

    private Path fileOf(CacheKey key) {
        return directory.resolve(key.sha256() + SUFFIX);
    }

    private synchronized void evictToLimit() {
        if (totalBytes.get() <= maxBytes) {
            return;
        }
        List<Map.Entry<CacheKey, Entry>> byUse = new ArrayList<>(index.entrySet());
        byUse.sort(Comparator.comparingLong(e -> e.getValue().lastUse()));
        for (Map.Entry<CacheKey, Entry> victim : byUse) {
            if (totalBytes.get() <= maxBytes) {
                return;
            }
            remove(victim.getKey());
        }
    }

    private void remove(CacheKey key) {
        Entry removed = index.remove(key);
        if (removed != null) {
            totalBytes.addAndGet(-removed.fileBytes());
        }
        deleteQuietly(fileOf(key));
    }

    private void rebuildIndex() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
            listing.forEach(files::add);
        }
        // Oldest modification first, so restored use order matches the order entries were last read or written.
        files.sort(Comparator.comparing(DiskAudioCache::modifiedMillis));
        for (Path file : files) {
            restore(file);
        }
        evictToLimit();
    }

    private void restore(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
            deleteQuietly(file);
            return;
        }
        if (!name.endsWith(SUFFIX)) {
            return;
        }
        try {
            CacheKey key = new CacheKey(name.substring(0, name.length() - SUFFIX.length()));
            Instant storedAt = readHeader(file);
            if (isExpired(storedAt)) {
                deleteQuietly(file);
                return;
            }
            long bytes = Files.size(file);
            index.put(key, new Entry(bytes, storedAt, useCounter.incrementAndGet()));
            totalBytes.addAndGet(bytes);
        } catch (IOException | IllegalArgumentException failure) {
            logger.warn("- Audio cache file unreadable on start, deleting it file={}", file, failure);
            deleteQuietly(file);
        }
    }

    private static long modifiedMillis(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException ignored) {
            // Vanished while listing: it sorts first and restore() will find it gone.
            return 0L;
        }
    }

    private static byte[] encode(CachedAudio audio) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(audio.size() + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(audio.storedAt().toEpochMilli());
            out.writeUTF(audio.contentType());
            out.writeInt(audio.size());
            out.write(audio.bodyUnsafe());
        } catch (IOException impossible) {
            throw new UncheckedIOException("cannot encode audio in memory", impossible);
        }
        return bytes.toByteArray();
    }

    private static Instant readHeader(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            checkPreamble(in, file);
            Instant storedAt = Instant.ofEpochMilli(in.readLong());
            String contentType = in.readUTF();
            int length = in.readInt();
            long expected = 4 + 4 + 8 + 2 + contentType.getBytes(StandardCharsets.UTF_8).length
                    + 4 + (long) length;
            if (length < 0 || Files.size(file) != expected) {
                throw new IOException("truncated audio cache file: " + file);
            }
            return storedAt;
        }
    }

    private static CachedAudio read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            checkPreamble(in, file);
            Instant storedAt = Instant.ofEpochMilli(in.readLong());
            String contentType = in.readUTF();
            int length = in.readInt();
            if (length < 0) {
                throw new IOException("negative length in audio cache file: " + file);
            }
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new IOException("truncated audio cache file: " + file);
            }
            return CachedAudio.adopt(contentType, body, storedAt);
        }
    }

    private static void checkPreamble(DataInputStream in, Path file) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not an audio cache file of version " + VERSION + ": " + file);
        }
    }

    private static void writeDurably(Path temp, byte[] encoded) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(encoded);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException notSupported) {
            throw new IOException("cache directory does not support atomic moves: " + target.getParent(),
                    notSupported);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A file that cannot be deleted now is retried at the next start's index rebuild.
        }
    }
}
