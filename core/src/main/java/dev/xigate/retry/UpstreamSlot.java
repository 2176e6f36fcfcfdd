package dev.xigate.retry;

import java.time.Duration;

/**
 * Returns the upstream concurrency slot a request holds while it calls the upstream: the seam between the retry
 * executor and the limiter (the gateway adapts {@code dev.xigate.limit.Permit} to it). Implementations are
 * thread-safe.
 */
public interface UpstreamSlot {
    /** Feeds the upstream's concurrency headers to the adaptive limit ({@code -1} when a header is absent). */
    void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent);

    /** Tells the pool the upstream rejected a call for concurrency, so it shrinks. */
    void onConcurrencyRejected();

    /** Gives the slot back and queues again at the head of its priority level; this slot is then spent. */
    Requeue requeueAtHead();

    /** Gives the slot back (idempotent). */
    void release();

    /** A place at the head of the queue, waiting for a new slot. */
    interface Requeue {
        /**
         * Returns the new slot, waiting up to {@code maxWait}.
         *
         * @throws SlotUnavailableException if the limiter refused or the wait ran out (the place is then left)
         * @throws InterruptedException if interrupted (the place is then left)
         */
        UpstreamSlot await(Duration maxWait) throws SlotUnavailableException, InterruptedException;

        /** Leaves the queue without waiting (idempotent; a slot granted meanwhile is released). */
        void cancel();
    }

    /** Returns a new slot for a request that holds none; the gateway adapts the limiter's acquire to it. */
    @FunctionalInterface
    interface Source {
        /**
         * Returns a slot, waiting up to {@code maxWait}.
         *
         * @throws SlotUnavailableException if the limiter refused or the wait ran out
         * @throws InterruptedException if interrupted while queued
         */
        UpstreamSlot acquire(Duration maxWait) throws SlotUnavailableException, InterruptedException;
    }
}
