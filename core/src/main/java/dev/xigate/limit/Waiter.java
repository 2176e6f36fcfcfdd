package dev.xigate.limit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One queued request: its own future (so a {@code result().cancel()} leaves the queue too) and the links of the two
 * intrusive lists it sits in while queued: its client's FIFO at its level, and the pool's deadline list. Fields
 * other than the final ones are guarded by the pool's lock.
 */
final class Waiter extends CompletableFuture<Admission> implements Ticket {
    final FamilyPool pool;
    final AdmissionRequest request;
    final List<RateCharge> charges;
    final long enqueuedAtNanos;
    /** Rate policies were already charged (a request requeued after a 429 is not charged twice). */
    final boolean charged;
    long deadlineNanos;
    long levelEnteredAtNanos;
    int level;
    volatile boolean queued;
    ClientQueue owner;
    /** This waiter's number in its client queue, consecutive from head to tail (see {@link ClientQueue}). */
    long sequence;
    Waiter prev;
    Waiter next;
    Waiter deadlinePrev;
    Waiter deadlineNext;
    /** The answer decided under the lock, delivered after it is released. */
    Admission pending;

    Waiter(FamilyPool pool, AdmissionRequest request, List<RateCharge> charges, long nowNanos, boolean charged) {
        this.pool = pool;
        this.request = request;
        this.charges = charges;
        this.enqueuedAtNanos = nowNanos;
        this.levelEnteredAtNanos = nowNanos;
        this.charged = charged;
    }

    @Override
    public CompletableFuture<Admission> result() {
        return this;
    }

    @Override
    public boolean cancel() {
        return cancel(false);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            pool.onCancelled(this);
        }
        return cancelled;
    }

    @Override
    public int position() {
        return queued ? pool.positionOf(this) : 0;
    }

    @Override
    public Duration expectedWait() {
        return queued ? pool.expectedWait(position()) : Duration.ZERO;
    }

    /** Returns whether the charges still have to pass the rate policies. */
    boolean needsRate() {
        return !charged && !charges.isEmpty();
    }

    /** Completes the future with the pending answer; returns false when a cancellation came first. */
    boolean deliver() {
        return super.complete(pending);
    }
}
