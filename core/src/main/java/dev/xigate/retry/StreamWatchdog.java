package dev.xigate.retry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * Returns upstream bodies wrapped so that a stream cut or stalled midway cannot hang its reader: a read failure
 * is counted and logged at WARN once, and a body that delivers no byte for {@code idleTimeout} is closed under its
 * reader, whose blocked read then fails ({@code upstream stream stalled}). For callers that copy the body
 * themselves (the gateway's response writer); {@link StreamRelay} does the same around its own copy loop.
 * Thread-safe.
 */
public final class StreamWatchdog {
    private static final Logger logger = LoggerFactory.getLogger(StreamWatchdog.class);

    private final Duration idleTimeout;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();

    /**
     * Creates a watchdog.
     *
     * @param idleTimeout the longest silence allowed between two bytes of a body
     * @param scheduler runs the idle checks
     * @param nanoClock a monotonic clock
     */
    public StreamWatchdog(Duration idleTimeout, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: >= 1ms)");
        }
    }

    /** Returns how many watched bodies failed midway (stalls included). */
    public long failures() {
        return failures.get();
    }

    /** Returns how many watched bodies were closed for silence. */
    public long stalls() {
        return stalls.get();
    }

    /**
     * Returns {@code body} under watch; {@code onFailure} runs once if it fails midway (for metrics).
     *
     * @param requestId the request id, for the log line
     * @param body the upstream body
     * @param onFailure told once about a midway failure
     */
    public InputStream watch(String requestId, InputStream body, Runnable onFailure) {
        return new Watched(requestId, body, onFailure);
    }

    private final class Watched extends FilterInputStream {
        private final String requestId;
        private final Runnable onFailure;
        private final AtomicLong lastProgress = new AtomicLong(nanoClock.getAsLong());
        private final AtomicBoolean stalled = new AtomicBoolean();
        private final AtomicBoolean reported = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        private final ScheduledFuture<?> check;
        private long bytes;

        private Watched(String requestId, InputStream body, Runnable onFailure) {
            super(body);
            this.requestId = requestId;
            this.onFailure = onFailure;
            long periodMillis = Math.max(1, idleTimeout.toMillis() / 4);
            this.check = scheduler.scheduleAtFixedRate(this::checkIdle, periodMillis, periodMillis,
                    TimeUnit.MILLISECONDS);
        }

        private void checkIdle() {
            if (!ended.get() && nanoClock.getAsLong() - lastProgress.get() > idleTimeout.toNanos()
                    && stalled.compareAndSet(false, true)) {
                stalls.incrementAndGet();
                closeUnderlying();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int from, int length) throws IOException {
            int n;
            try {
                n = in.read(target, from, length);
            } catch (IOException failure) {
                throw reportFailure(stalled.get() ? new IOException("upstream stream stalled", failure) : failure);
            }
            if (n < 0) {
                if (stalled.get()) {
                    throw reportFailure(new IOException("upstream stream stalled"));
                }
                end();
                return n;
            }
            bytes += n;
            lastProgress.set(nanoClock.getAsLong());
            return n;
        }

        @Override
        public void close() throws IOException {
            end();
            super.close();
        }

        private IOException reportFailure(IOException failure) {
            end();
            if (reported.compareAndSet(false, true)) {
                failures.incrementAndGet();
                logger.warn("{} Upstream stream ended early bytes={} stalled={} error={}", requestId, bytes,
                        stalled.get(), failure.toString());
                onFailure.run();
            }
            return failure;
        }

        private void end() {
            if (ended.compareAndSet(false, true)) {
                check.cancel(false);
            }
        }

        private void closeUnderlying() {
            try {
                in.close();
            } catch (IOException ignored) {
                // Closing is how the blocked read is woken; its own failure changes nothing.
            }
        }
    }
}
