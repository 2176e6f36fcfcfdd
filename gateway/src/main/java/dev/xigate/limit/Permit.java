package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;

/** Temporary copy of the limiter contract; replaced by the limit branch at merge. */
public interface Permit extends AutoCloseable {
    /** Returns the family. */
    ModelFamily family();

    /** Releases the slot. */
    void release();

    /** Gives the slot back and queues again at the head. */
    Ticket requeueAtHead();

    /** Feeds upstream headers. */
    void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent);

    /** Reports an upstream concurrency 429. */
    void onUpstreamConcurrencyRejected();

    @Override
    default void close() {
        release();
    }
}
