package dev.xigate.limit;

/** Temporary copy of the limiter contract (LIMITER_API.md); replaced by the limit branch at merge. */
public interface Limiter extends AutoCloseable {
    /** Returns a ticket for a place in the family's queue. */
    Ticket enqueue(AdmissionRequest request);

    /** Returns an admission, blocking while queued. */
    Admission acquire(AdmissionRequest request) throws InterruptedException;

    /** Returns the state of one pool. */
    PoolSnapshot snapshot(dev.xigate.plan.ModelFamily family);

    /** Registers a listener. */
    void addListener(LimiterListener listener);

    /** Rejects everything queued. */
    @Override
    void close();
}
