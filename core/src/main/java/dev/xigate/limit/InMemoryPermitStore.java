package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Creates a {@link PermitStore} that keeps permits and rate state in this JVM: one atomic counter per family, and
 * rate state in a map guarded by one lock (rate checks only happen when policies are configured, so the permit
 * fast path never takes it). Thread-safe.
 *
 * <p>Rate state is created on a key's first use and kept for the store's life: with per-client policies, memory
 * grows with the number of distinct client names (about 100 bytes per client and policy, plus 8 bytes per request
 * slot of a sliding window).
 */
public final class InMemoryPermitStore implements PermitStore {
    private final AtomicIntegerArray inFlight = new AtomicIntegerArray(ModelFamily.values().length);
    private final Object rateLock = new Object();
    // Guarded by rateLock.
    private final Map<String, RateState> rateStates = new HashMap<>();

    /** Creates an empty store. */
    public InMemoryPermitStore() {
        // Nothing to set up: counters start at 0 and rate state is created on first use.
    }

    @Override
    public long tryAcquire(ModelFamily family, int limit) {
        int index = family.ordinal();
        while (true) {
            int current = inFlight.get(index);
            if (current >= limit) {
                return NO_LEASE;
            }
            if (inFlight.compareAndSet(index, current, current + 1)) {
                return 0;
            }
        }
    }

    @Override
    public void release(ModelFamily family, long leaseId) {
        int after = inFlight.decrementAndGet(family.ordinal());
        if (after < 0) {
            // A double release is a bug in the limiter; undo it so that the count stays a true count.
            inFlight.incrementAndGet(family.ordinal());
            throw new IllegalStateException("cannot release permit of " + family.label() + ": none in flight");
        }
    }

    @Override
    public int inFlight(ModelFamily family) {
        return inFlight.get(family.ordinal());
    }

    @Override
    public RateWait probe(List<RateCharge> charges, long nowNanos) {
        synchronized (rateLock) {
            return probeLocked(charges, nowNanos);
        }
    }

    @Override
    public boolean tryConsume(List<RateCharge> charges, long nowNanos) {
        synchronized (rateLock) {
            if (!probeLocked(charges, nowNanos).isReady()) {
                return false;
            }
            for (RateCharge charge : charges) {
                stateOf(charge).consume(charge.amount(), nowNanos);
            }
            return true;
        }
    }

    @Override
    public void close() {
        // Nothing to free: the state is garbage once the limiter is gone.
    }

    private RateWait probeLocked(List<RateCharge> charges, long nowNanos) {
        long longest = 0;
        int blocking = -1;
        for (int i = 0; i < charges.size(); i++) {
            RateCharge charge = charges.get(i);
            long wait = stateOf(charge).waitNanos(charge.amount(), nowNanos);
            if (wait > longest) {
                longest = wait;
                blocking = i;
            }
        }
        return blocking < 0 ? RateWait.READY : new RateWait(longest, blocking);
    }

    private RateState stateOf(RateCharge charge) {
        return rateStates.computeIfAbsent(charge.key(), key -> RateState.of(charge.policy()));
    }
}
