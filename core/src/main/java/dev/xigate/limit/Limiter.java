package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;

/**
 * Returns permits for upstream calls: one concurrency pool per {@link ModelFamily}, each with a bounded priority
 * queue in front of it. Thread-safe; one per gateway or per in-process application.
 *
 * <p>Typical in-process use around your own HTTP call:
 * <pre>{@code
 * try (Limiter limiter = Limiter.inMemory(LimiterConfig.forPlan(PlanTier.CREATOR))) {
 *     Admission admission = limiter.acquire(AdmissionRequest.of(ModelFamily.TURBO_FLASH, 0, "app", 120, "r-1"));
 *     if (admission instanceof Admission.Granted granted) {
 *         try (Permit permit = granted.permit()) {
 *             // call the API, then feed back: permit.onUpstreamHeaders(current, maximum)
 *         }
 *     }
 * }
 * }</pre>
 *
 * @see DefaultLimiter for the queueing and adaptive algorithms
 */
public interface Limiter extends AutoCloseable {

    /** Creates a limiter whose permits and rate state live in this JVM ({@link InMemoryPermitStore}). */
    static Limiter inMemory(LimiterConfig config) {
        return new DefaultLimiter(config.toBuilder().permitStore(InMemoryPermitStore::new).build());
    }

    /** Creates a limiter whose permits and rate state live in the store the configuration names. */
    static Limiter of(LimiterConfig config) {
        return new DefaultLimiter(config);
    }

    /**
     * Returns a ticket for a permit without blocking: granted at once when a slot is free and nobody waits, queued
     * otherwise, or rejected at once (full queue, rate policy that cannot pass in time, closed limiter).
     */
    Ticket enqueue(AdmissionRequest request);

    /**
     * Returns a ticket for a request that already had its turn once and comes back after a backoff (an upstream
     * 429 retried later): it waits at the head of its level, ahead of requests not yet served, is not refused for a
     * full queue, and is not charged by rate policies a second time. Otherwise like {@link #enqueue}.
     *
     * <p>The default implementation queues like {@link #enqueue}, for limiters without a head position.
     */
    default Ticket enqueueAtHead(AdmissionRequest request) {
        return enqueue(request);
    }

    /**
     * Returns a permit or a rejection, blocking until one is decided (at most the pool's maximum wait).
     *
     * @throws InterruptedException if the thread is interrupted while waiting; the request leaves the queue and a
     *     permit granted at that moment is released
     */
    Admission acquire(AdmissionRequest request) throws InterruptedException;

    /**
     * Returns a permit at once if a slot is free, no one waits in the family's queue and the request needs no rate
     * policy; otherwise returns {@code null} and changes nothing. This is the allocation-free fast path; an
     * implementation without one may always return {@code null}.
     */
    default Permit tryAcquire(AdmissionRequest request) {
        return null;
    }

    /** Returns the current state of the family's pool. */
    PoolSnapshot snapshot(ModelFamily family);

    /** Adds a listener that gets every later event. */
    void addListener(LimiterListener listener);

    /**
     * Removes a listener added before; does nothing if it is unknown.
     *
     * @throws UnsupportedOperationException if the implementation cannot remove listeners
     */
    default void removeListener(LimiterListener listener) {
        throw new UnsupportedOperationException("cannot remove listener: not supported by " + getClass().getName());
    }

    /**
     * Rejects everything queued with {@link RejectReason#SHUTTING_DOWN}, and every later request too. Permits in
     * flight stay valid and may still be released.
     */
    @Override
    void close();
}
