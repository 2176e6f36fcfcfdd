package dev.xigate.coalesce;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Returns one writer's byte stream to many readers, each at its own pace, with bounded memory.
 *
 * <p>The writer never waits for readers. While the bytes written stay within {@code maxRetainedBytes}, everything
 * is kept, so a reader that joins late replays the stream from its first byte. Past that bound the buffer closes
 * to new readers (they could no longer start from byte 0) and drops every chunk all readers have passed; a reader
 * so slow that keeping its unread bytes would exceed the bound is cut off (its stream fails with
 * {@link SlowReaderException}) instead of holding memory or stalling the others. Thread-safe.
 */
public final class BroadcastBuffer {
    private final long maxRetainedBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Mutable state, guarded by lock. chunks.get(i) is chunk number chunkBase + i.
    private final List<byte[]> chunks = new ArrayList<>();
    private final List<Reader> readers = new ArrayList<>();
    private long chunkBase;
    private long written;
    private long retained;
    private boolean joinable = true;
    private boolean completed;
    private Throwable failure;

    /**
     * Creates a buffer.
     *
     * @param maxRetainedBytes the most bytes held at once (> 0)
     */
    public BroadcastBuffer(long maxRetainedBytes) {
        if (maxRetainedBytes <= 0) {
            throw new IllegalArgumentException("maxRetainedBytes: " + maxRetainedBytes + " (expected: > 0)");
        }
        this.maxRetainedBytes = maxRetainedBytes;
    }

    /** Appends bytes (the array is kept: the caller must not change it afterwards). */
    public void write(byte[] chunk) {
        if (chunk.length == 0) {
            return;
        }
        lock.lock();
        try {
            if (completed || failure != null) {
                throw new IllegalStateException("cannot write to broadcast buffer: already ended");
            }
            chunks.add(chunk);
            written += chunk.length;
            retained += chunk.length;
            if (written > maxRetainedBytes) {
                joinable = false;
                trim();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the stream complete: readers get end-of-stream after the last byte. */
    public void complete() {
        lock.lock();
        try {
            completed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the stream failed: readers get an {@link IOException} after the bytes written so far. */
    public void fail(Throwable cause) {
        lock.lock();
        try {
            if (!completed && failure == null) {
                failure = cause;
            }
            joinable = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops new readers from joining (existing readers go on). */
    public void closeToJoiners() {
        lock.lock();
        try {
            joinable = false;
        } finally {
            lock.unlock();
        }
    }

    /** Returns a new reader starting at the first byte, or {@code null} if the buffer no longer takes readers. */
    public InputStream subscribe() {
        lock.lock();
        try {
            if (!joinable) {
                return null;
            }
            Reader reader = new Reader();
            readers.add(reader);
            return reader;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the whole stream if it completed and every byte is still held, else {@code null}. A stream written as
     * one chunk is returned as that very array (no copy): like every chunk, it must not be changed.
     */
    public byte[] completeContent() {
        lock.lock();
        try {
            if (!completed || chunkBase != 0 || written > Integer.MAX_VALUE) {
                return null;
            }
            if (chunks.size() == 1) {
                return chunks.get(0);
            }
            byte[] all = new byte[(int) written];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether the stream completed or failed. */
    public boolean isEnded() {
        lock.lock();
        try {
            return completed || failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the readers currently subscribed (not closed, not cut off). */
    public int readerCount() {
        lock.lock();
        try {
            return readers.size();
        } finally {
            lock.unlock();
        }
    }

    /** Returns the bytes held now. */
    public long retainedBytes() {
        lock.lock();
        try {
            return retained;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the bytes written so far. */
    public long writtenBytes() {
        lock.lock();
        try {
            return written;
        } finally {
            lock.unlock();
        }
    }

    private void trim() {
        // Cut off the slowest readers while keeping their unread bytes would break the bound.
        while (retained > maxRetainedBytes && !readers.isEmpty()) {
            Reader slowest = readers.get(0);
            for (Reader reader : readers) {
                if (reader.chunk < slowest.chunk) {
                    slowest = reader;
                }
            }
            if (retainedFrom(slowest.chunk) <= maxRetainedBytes) {
                break;
            }
            slowest.cutOff = true;
            readers.remove(slowest);
            dropUnneeded();
        }
        dropUnneeded();
    }

    private void dropUnneeded() {
        long keepFrom = chunkBase + chunks.size();
        for (Reader reader : readers) {
            keepFrom = Math.min(keepFrom, reader.chunk);
        }
        int drop = (int) (keepFrom - chunkBase);
        for (int i = 0; i < drop; i++) {
            retained -= chunks.get(i).length;
        }
        chunks.subList(0, drop).clear();
        chunkBase = keepFrom;
    }

    private long retainedFrom(long chunkNumber) {
        long bytes = 0;
        for (int i = (int) (chunkNumber - chunkBase); i < chunks.size(); i++) {
            bytes += chunks.get(i).length;
        }
        return bytes;
    }

    /** Thrown to a reader cut off for falling too far behind. */
    public static final class SlowReaderException extends IOException {
        private static final long serialVersionUID = 1L;

        SlowReaderException(long maxRetainedBytes) {
            super("reader fell more than " + maxRetainedBytes + " bytes behind the stream and was cut off");
        }
    }

    private final class Reader extends InputStream {
        // Guarded by the buffer's lock: the next chunk number and the offset in it.
        private long chunk;
        private int offset;
        private boolean closed;
        private boolean cutOff;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int from, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        throw new IOException("broadcast reader closed");
                    }
                    if (cutOff) {
                        throw new SlowReaderException(maxRetainedBytes);
                    }
                    int index = (int) (chunk - chunkBase);
                    if (index < chunks.size()) {
                        return copy(chunks.get(index), target, from, length);
                    }
                    if (failure != null) {
                        throw new IOException("upstream stream failed: " + failure.getMessage(), failure);
                    }
                    if (completed) {
                        return -1;
                    }
                    changed.await();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for upstream bytes");
            } finally {
                lock.unlock();
            }
        }

        private int copy(byte[] source, byte[] target, int from, int length) {
            int n = Math.min(length, source.length - offset);
            System.arraycopy(source, offset, target, from, n);
            offset += n;
            if (offset == source.length) {
                chunk++;
                offset = 0;
                if (!joinable) {
                    dropUnneeded();
                }
            }
            return n;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!closed) {
                    closed = true;
                    readers.remove(this);
                    if (!joinable) {
                        dropUnneeded();
                    }
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
