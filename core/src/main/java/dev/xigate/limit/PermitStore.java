package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;
import java.util.List;

/**
 * Returns and updates the state that many gateway instances of one account would have to share: permits in flight
 * per family and the state of rate policies. This is the seam between the limiter and where that state lives:
 * {@link InMemoryPermitStore} keeps it in this JVM; a Redis-backed store can replace it through
 * {@link LimiterConfig.Builder#permitStore} without changing callers.
 *
 * <p>The waiting queue itself always stays in the local JVM (waiters are local connections); the store only decides
 * whether a slot or a rate allowance is free. Implementations must be thread-safe; {@link #tryConsume} must be
 * all-or-nothing over its charges.
 */
public interface PermitStore extends AutoCloseable {
    /** The lease id returned by {@link #tryAcquire} when no slot is free. */
    long NO_LEASE = -1;

    /**
     * Takes one of {@code limit} slots of the family if one is free.
     *
     * @return a lease id (at least 0) to pass to {@link #release}, or {@link #NO_LEASE}
     */
    long tryAcquire(ModelFamily family, int limit);

    /** Returns a slot taken by {@link #tryAcquire}; called exactly once per lease. */
    void release(ModelFamily family, long leaseId);

    /** Returns the number of slots of the family in use right now. */
    int inFlight(ModelFamily family);

    /**
     * Returns how long until all charges could be consumed together, without consuming anything.
     *
     * @return {@link RateWait#READY} when they can be consumed now
     */
    RateWait probe(List<RateCharge> charges, long nowNanos);

    /** Consumes all charges if all can be consumed now, else none; returns whether it consumed them. */
    boolean tryConsume(List<RateCharge> charges, long nowNanos);

    /** Frees the store's resources; the in-memory store has none. */
    @Override
    void close();
}
