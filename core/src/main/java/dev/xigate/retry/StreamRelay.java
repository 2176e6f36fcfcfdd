package dev.xigate.retry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the result of copying an upstream body to the client as it arrives, flushing each chunk, so that a
 * stream cut or stalled midway ends the client's stream instead of hanging it.
 *
 * <p>Once the first byte went out nothing can be retried: an upstream read failure ends the copy, is logged at
 * WARN and counted, and the caller ends the client's response (closing it, so the client sees a short body). A
 * watchdog closes the upstream stream when no byte arrived for {@code idleTimeout}, which unblocks the read; that
 * counts as an upstream failure too. Both streams are closed before {@link #relay} returns. Thread-safe.
 */
public final class StreamRelay {
    private static final Logger logger = LoggerFactory.getLogger(StreamRelay.class);
    private static final int CHUNK = 16 * 1024;

    private final Duration idleTimeout;
    private final ScheduledExecutorService watchdog;
    private final LongSupplier nanoClock;
    private final AtomicLong upstreamFailures = new AtomicLong();
    private final AtomicLong clientsGone = new AtomicLong();

    /**
     * Creates a relay.
     *
     * @param idleTimeout the longest wait for the next upstream byte
     * @param watchdog runs the idle checks
     * @param nanoClock a monotonic clock
     */
    public StreamRelay(Duration idleTimeout, ScheduledExecutorService watchdog, LongSupplier nanoClock) {
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: >= 1ms)");
        }
    }

    /** Returns how many relays ended because the upstream failed or stalled. */
    public long upstreamFailures() {
        return upstreamFailures.get();
    }

    /** Returns how many relays ended because the client went away. */
    public long clientsGone() {
        return clientsGone.get();
    }

    /**
     * Returns the result of copying {@code upstream} to {@code client}; closes {@code upstream} always and
     * {@code client} only when it completed (the caller decides how to end a failed client response).
     */
    public RelayResult relay(String requestId, InputStream upstream, OutputStream client) {
        AtomicLong lastProgress = new AtomicLong(nanoClock.getAsLong());
        AtomicBoolean stalled = new AtomicBoolean();
        long periodMillis = Math.max(1, idleTimeout.toMillis() / 4);
        ScheduledFuture<?> check = watchdog.scheduleAtFixedRate(() -> {
            if (nanoClock.getAsLong() - lastProgress.get() > idleTimeout.toNanos() && stalled.compareAndSet(false,
                    true)) {
                closeQuietly(upstream);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        try {
            return copy(requestId, upstream, client, lastProgress, stalled);
        } finally {
            check.cancel(false);
            closeQuietly(upstream);
        }
    }

    private RelayResult copy(String requestId, InputStream upstream, OutputStream client, AtomicLong lastProgress,
            AtomicBoolean stalled) {
        byte[] chunk = new byte[CHUNK];
        long bytes = 0;
        while (true) {
            int n;
            try {
                n = upstream.read(chunk);
            } catch (IOException failure) {
                return upstreamFailed(requestId, bytes, failure, stalled.get());
            }
            if (n < 0) {
                if (stalled.get()) {
                    // The watchdog closed the stream; some streams then report a clean end instead of an error.
                    return upstreamFailed(requestId, bytes, new IOException("upstream stream stalled"), true);
                }
                return finish(client, bytes);
            }
            try {
                client.write(chunk, 0, n);
                client.flush();
            } catch (IOException failure) {
                clientsGone.incrementAndGet();
                logger.debug("{} Client went away during stream bytes={}", requestId, bytes);
                return new RelayResult.ClientGone(bytes, failure);
            }
            bytes += n;
            lastProgress.set(nanoClock.getAsLong());
        }
    }

    private RelayResult finish(OutputStream client, long bytes) {
        try {
            client.close();
            return new RelayResult.Completed(bytes);
        } catch (IOException failure) {
            clientsGone.incrementAndGet();
            return new RelayResult.ClientGone(bytes, failure);
        }
    }

    private RelayResult upstreamFailed(String requestId, long bytes, IOException failure, boolean stalled) {
        upstreamFailures.incrementAndGet();
        logger.warn("{} Upstream stream ended early bytes={} stalled={} error={}", requestId, bytes, stalled,
                failure.toString());
        return new RelayResult.UpstreamFailed(bytes, failure, stalled);
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // Closing only frees the connection; the relay's result is already decided.
        }
    }
}
