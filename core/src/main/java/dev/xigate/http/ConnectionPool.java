package dev.xigate.http;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Keeps idle keep-alive connections to one upstream, most recently used first, so that a busy gateway reuses warm
 * connections and idle ones age out at the far end.
 *
 * <p>Connections idle longer than the idle timeout are closed instead of reused: a server closes idle connections
 * after a while of its own, and a connection it is about to close is the one a request could be lost on. Beyond
 * {@code maxIdle} idle connections, returned ones are closed. Thread-safe.
 */
final class ConnectionPool {
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int maxIdle;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoClock;
    private volatile boolean closed;

    ConnectionPool(int maxIdle, long idleTimeoutNanos, LongSupplier nanoClock) {
        this.maxIdle = maxIdle;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.nanoClock = nanoClock;
    }

    /** Returns an idle connection still fit for reuse, or {@code null} when there is none. */
    Connection take() {
        long now = nanoClock.getAsLong();
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            if (now - connection.idleSinceNanos() < idleTimeoutNanos && connection.isOpen()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    /** Takes back a connection whose last response was read to its end. */
    void release(Connection connection) {
        long now = nanoClock.getAsLong();
        evictExpired(now);
        if (closed) {
            connection.close();
            return;
        }
        if (idleCount.incrementAndGet() > maxIdle) {
            idleCount.decrementAndGet();
            connection.close();
            return;
        }
        connection.markIdle(now);
        idle.offerFirst(connection);
        if (closed && idle.remove(connection)) {
            connection.close();
        }
    }

    /** Returns how many idle connections are kept now. */
    int idleCount() {
        return idleCount.get();
    }

    /** Closes every idle connection and every connection returned from now on. */
    void close() {
        closed = true;
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            connection.close();
        }
    }

    private void evictExpired(long now) {
        // The least recently used sit at the tail; stop at the first one still fresh.
        Connection oldest;
        while ((oldest = idle.peekLast()) != null && now - oldest.idleSinceNanos() >= idleTimeoutNanos) {
            if (idle.removeLastOccurrence(oldest)) {
                idleCount.decrementAndGet();
                oldest.close();
            }
        }
    }
}
