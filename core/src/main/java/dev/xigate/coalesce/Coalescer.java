package dev.xigate.coalesce;

import dev.xigate.cache.CacheKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns a subscription to the one in-flight upstream call for a key, starting the call if none is running.
 *
 * <p>The first request for a key becomes the leader: its {@link FlightSource} runs on the leader's own thread
 * inside {@link #join}, so a request nobody shares costs no thread hand-off. The upstream body goes into a
 * {@link BroadcastBuffer}: a body of a declared length within the buffer's bound is read whole on the leader's
 * thread before {@code join} returns; any other body (a stream) is copied by the pump executor, except its first
 * chunk, which the first client to read reads from the upstream itself, so that the first audio byte reaches a
 * client without a hand-off between threads. Every client (the leader's included) reads from the buffer at its
 * own pace, from the first byte, so a slow client never holds up the upstream read or the others.
 * A flight stops taking joiners when it ends or its body outgrows the buffer's bound; a request arriving then
 * starts a new flight. When every subscriber has left before the end, the upstream call is abandoned (its body
 * closed) so that its permit is freed. Thread-safe.
 */
public final class Coalescer {
    private static final Logger logger = LoggerFactory.getLogger(Coalescer.class);
    private static final int READ_CHUNK = 16 * 1024;

    private final long maxRetainedBytes;
    private final Executor pump;
    private final Map<CacheKey, Flight> flights = new ConcurrentHashMap<>();
    private final AtomicLong flightsStarted = new AtomicLong();
    private final AtomicLong joins = new AtomicLong();

    /**
     * Creates a coalescer.
     *
     * @param maxRetainedBytes the bound on each flight's broadcast buffer
     * @param pump copies the bodies of streamed answers (virtual threads suit it)
     */
    public Coalescer(long maxRetainedBytes, Executor pump) {
        if (maxRetainedBytes <= 0) {
            throw new IllegalArgumentException("maxRetainedBytes: " + maxRetainedBytes + " (expected: > 0)");
        }
        this.maxRetainedBytes = maxRetainedBytes;
        this.pump = Objects.requireNonNull(pump, "pump");
    }

    /**
     * Returns a subscription to the flight for {@code key}, joining a running one or starting {@code source}.
     * A leader's call returns once the upstream answered (its head is then complete, or failed); a joiner's at
     * once. The caller must close the subscription.
     */
    public Subscription join(CacheKey key, FlightSource source) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        while (true) {
            Flight created = new Flight(key, source);
            Flight flight = flights.computeIfAbsent(key, k -> created);
            Subscription subscription = flight.subscribe(flight == created);
            if (subscription != null) {
                if (flight == created) {
                    flightsStarted.incrementAndGet();
                    flight.start();
                } else {
                    joins.incrementAndGet();
                }
                return subscription;
            }
            // That flight no longer takes joiners (ended, too big, abandoned): retire it and start over.
            flights.remove(key, flight);
        }
    }

    /** Returns the flights running now. */
    public int inFlight() {
        return flights.size();
    }

    /** Returns how many upstream calls were started. */
    public long flightsStarted() {
        return flightsStarted.get();
    }

    /** Returns how many requests joined a running call instead of starting one. */
    public long joins() {
        return joins.get();
    }

    /** One client's view of a flight: the shared head, then its own read of the body. */
    public static final class Subscription implements AutoCloseable {
        private final Flight flight;
        private final InputStream body;
        private final boolean leader;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Subscription(Flight flight, InputStream body, boolean leader) {
            this.flight = flight;
            this.body = body;
            this.leader = leader;
        }

        /** Returns the head when the upstream answered; fails as the flight's call failed. */
        public CompletableFuture<FlightHead> head() {
            return flight.head;
        }

        /** Returns this client's body stream, from the first byte. */
        public InputStream body() {
            return body;
        }

        /** Returns whether this subscription started the upstream call. */
        public boolean isLeader() {
            return leader;
        }

        /** Leaves the flight; the last subscriber to leave before the end abandons the upstream call. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // A broadcast reader's close cannot fail; the signature is InputStream's.
                }
                flight.leave();
            }
        }
    }

    private final class Flight {
        private final CacheKey key;
        private final FlightSource source;
        private final BroadcastBuffer buffer = new BroadcastBuffer(maxRetainedBytes);
        private final CompletableFuture<FlightHead> head = new CompletableFuture<>();
        private final AtomicInteger subscribers = new AtomicInteger();
        // Written by leave() (any client thread), read by the pump; the upstream body to close on abandon.
        private volatile InputStream upstreamBody;
        private volatile boolean abandoned;
        // A streamed answer whose first chunk no client has started to read yet; the first to claim it reads it.
        private volatile FlightSource.Answer firstChunkPending;
        private final AtomicBoolean firstChunkClaimed = new AtomicBoolean();

        private Flight(CacheKey key, FlightSource source) {
            this.key = key;
            this.source = source;
        }

        private Subscription subscribe(boolean leader) {
            subscribers.incrementAndGet();
            InputStream reader = abandoned ? null : buffer.subscribe();
            if (reader == null) {
                subscribers.decrementAndGet();
                return null;
            }
            return new Subscription(this, new FirstChunkReader(this, reader), leader);
        }

        private void leave() {
            if (subscribers.decrementAndGet() == 0 && !buffer.isEnded()) {
                abandoned = true;
                buffer.closeToJoiners();
                flights.remove(key, this);
                closeUpstream();
            }
        }

        /**
         * Runs the head phase on the leader's own thread: no hand-off before the upstream call. A body of a
         * declared length within the buffer's bound is then read inline too (it is read whole before the leader
         * writes anything, so no client's pace matters); any other body is copied by the pump.
         */
        private void start() {
            FlightSource.Answer answer;
            try {
                answer = source.open();
            } catch (Exception | Error failure) {
                if (failure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                flights.remove(key, this);
                buffer.fail(failure);
                head.completeExceptionally(failure);
                return;
            }
            upstreamBody = answer.body();
            head.complete(answer.head());
            long declared = declaredLength(answer.head());
            if (declared >= 0 && declared <= maxRetainedBytes) {
                copyAndFinish(answer, declared);
            } else {
                // The pump starts once a client has read the first chunk (see readFirstChunk).
                firstChunkPending = answer;
            }
        }

        /**
         * Called before every read of a subscriber: the first caller of a streamed flight reads the upstream's first
         * chunk on its own thread, puts it into the buffer, and hands the rest to the pump. That client waits for
         * the first byte either way; reading it here saves the wake-up of a second thread on the path of the first
         * audio byte, which is what time-to-first-byte measures.
         */
        private void readFirstChunk() {
            FlightSource.Answer answer = firstChunkPending;
            if (answer == null || !firstChunkClaimed.compareAndSet(false, true)) {
                return;
            }
            firstChunkPending = null;
            int n;
            byte[] chunk = new byte[READ_CHUNK];
            try {
                if (abandoned) {
                    closeUpstream();
                }
                n = answer.body().read(chunk);
                if (n > 0) {
                    buffer.write(Arrays.copyOf(chunk, n));
                }
            } catch (Exception | Error failure) {
                failed(answer, failure);
                closeUpstream();
                return;
            }
            if (n < 0) {
                // Ended before any byte: nothing left for a pump.
                copyAndFinish(answer, -1);
                return;
            }
            try {
                pump.execute(() -> copyAndFinish(answer, -1));
            } catch (RuntimeException rejected) {
                failed(answer, rejected);
                closeUpstream();
            }
        }

        private void copyAndFinish(FlightSource.Answer answer, long declared) {
            try {
                if (abandoned) {
                    closeUpstream();
                }
                copyBody(answer.body(), declared);
                buffer.complete();
                byte[] content = buffer.completeContent();
                flights.remove(key, this);
                if (content != null) {
                    source.onComplete(answer.head(), content);
                }
            } catch (Exception | Error failure) {
                failed(answer, failure);
            } finally {
                closeUpstream();
            }
        }

        private void failed(FlightSource.Answer answer, Throwable failure) {
            flights.remove(key, this);
            buffer.fail(failure);
            if (!abandoned) {
                logger.debug("- Coalesced upstream body failed key={} error={}", key, failure.toString());
                source.onBodyFailed(answer.head(), failure);
            }
        }

        /** Copies the body into the buffer; one of a declared length (-1: none) becomes one chunk, read in place. */
        private void copyBody(InputStream in, long declared) throws IOException {
            if (declared >= 0) {
                byte[] whole = in.readNBytes((int) declared);
                buffer.write(whole);
                int more = in.read();
                if (more < 0) {
                    return;
                }
                // Longer than declared: keep every byte and let the loop below take the rest.
                buffer.write(new byte[] {(byte) more});
            }
            byte[] chunk = new byte[READ_CHUNK];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (n > 0) {
                    buffer.write(Arrays.copyOf(chunk, n));
                }
            }
        }

        private static long declaredLength(FlightHead head) {
            for (Map.Entry<String, List<String>> header : head.headers().entrySet()) {
                if (header.getKey().equalsIgnoreCase("content-length") && !header.getValue().isEmpty()) {
                    try {
                        return Long.parseLong(header.getValue().get(0).trim());
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
            return -1;
        }

        private void closeUpstream() {
            InputStream in = upstreamBody;
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // Closing only frees the connection; the flight is over either way.
                }
            }
        }
    }

    /** A subscriber's body: the broadcast reader, with the first-chunk read of a streamed flight before it. */
    private static final class FirstChunkReader extends InputStream {
        private final Flight flight;
        private final InputStream reader;

        private FirstChunkReader(Flight flight, InputStream reader) {
            this.flight = flight;
            this.reader = reader;
        }

        @Override
        public int read() throws IOException {
            flight.readFirstChunk();
            return reader.read();
        }

        @Override
        public int read(byte[] target, int from, int length) throws IOException {
            flight.readFirstChunk();
            return reader.read(target, from, length);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
