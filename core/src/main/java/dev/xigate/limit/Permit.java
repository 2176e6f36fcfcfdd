package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;

/**
 * Returns one upstream slot of one model family to its pool when released. Thread-safe; release is idempotent.
 *
 * <p>Use it with try-with-resources around the upstream call, and feed the upstream's answer back so that the pool
 * can adapt: {@link #onUpstreamHeaders} after every response, {@link #onUpstreamConcurrencyRejected} on a 429
 * {@code too_many_concurrent_requests}.
 */
public interface Permit extends AutoCloseable {

    /** Returns the family whose pool this permit belongs to. */
    ModelFamily family();

    /** Returns the slot to the pool; calling it again does nothing. */
    void release();

    /** Releases the permit, like {@link #release()}. */
    @Override
    void close();

    /**
     * Gives the slot back and waits again at the head of the request's priority level (the upstream answered 429
     * for concurrency). The new ticket has a fresh maximum wait, is never refused for a full queue and is not charged
     * by the rate policies a second time.
     *
     * @throws IllegalStateException if the permit was already released
     */
    Ticket requeueAtHead();

    /**
     * Feeds the upstream's {@code current-concurrent-requests} and {@code maximum-concurrent-requests} headers to
     * the adaptive limit; pass -1 for a header that was absent.
     */
    void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent);

    /** Tells the adaptive limit that the upstream refused this call for concurrency (429); the pool shrinks. */
    void onUpstreamConcurrencyRejected();
}
