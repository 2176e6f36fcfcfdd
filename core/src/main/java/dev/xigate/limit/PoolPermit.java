package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;

/** One permit of one {@link FamilyPool}; released exactly once however often {@link #release()} is called. */
final class PoolPermit implements Permit {
    /** The acquisition time of a permit taken on the fast path, which reads no clock. */
    static final long UNTIMED = Long.MIN_VALUE;

    final FamilyPool pool;
    final AdmissionRequest request;
    final long leaseId;
    /** When the permit was granted through the queue, for the hold-time estimate; {@link #UNTIMED} otherwise. */
    final long acquiredAtNanos;
    /** The family's in-flight count right after this permit was taken, this permit included. */
    final int inFlightAtGrant;
    // Guarded by this: a plain flag under a lock the JIT can elide when the permit does not escape.
    private boolean released;

    PoolPermit(FamilyPool pool, AdmissionRequest request, long leaseId, long acquiredAtNanos, int inFlightAtGrant) {
        this.pool = pool;
        this.request = request;
        this.leaseId = leaseId;
        this.acquiredAtNanos = acquiredAtNanos;
        this.inFlightAtGrant = inFlightAtGrant;
    }

    @Override
    public ModelFamily family() {
        return pool.family();
    }

    @Override
    public void release() {
        if (markReleased()) {
            pool.release(this);
        }
    }

    @Override
    public void close() {
        release();
    }

    @Override
    public Ticket requeueAtHead() {
        if (!markReleased()) {
            throw new IllegalStateException("cannot requeue request " + request.requestId()
                    + ": its permit was already released");
        }
        return pool.requeueAtHead(this);
    }

    @Override
    public void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent) {
        pool.onUpstreamHeaders(currentConcurrent, maximumConcurrent, inFlightAtGrant);
    }

    @Override
    public void onUpstreamConcurrencyRejected() {
        pool.onUpstreamConcurrencyRejected();
    }

    /** Returns whether this call is the one that released the permit. */
    boolean markReleased() {
        synchronized (this) {
            if (released) {
                return false;
            }
            released = true;
            return true;
        }
    }

    @Override
    public String toString() {
        return "Permit[" + pool.family().label() + ", " + request.requestId() + "]";
    }
}
