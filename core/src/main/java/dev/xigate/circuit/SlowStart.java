package dev.xigate.circuit;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Returns how many upstream calls a family may have in flight while its pool ramps back up after its breaker
 * closed, and gates calls to that number, so that a backlog built up during an outage is not released onto a
 * just-recovered upstream all at once.
 *
 * <p>Rule: {@code ramp} after {@link #begin}, a family with pool limit L may have
 * {@code max(1, ceil(L × elapsed / ramp))} calls in flight through this gate; after {@code ramp} the gate no longer
 * limits anything (the limiter's own pool limit applies alone). A zero ramp turns the gate off. The gate sits
 * after the limiter (a caller holds its permit while waiting here), so priority order is kept; it needs no change
 * to the limiter. Thread-safe; time comes from the injected nano clock.
 */
public final class SlowStart {
    private final Duration ramp;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();
    // Guarded by lock: when each family's ramp began, and the calls in flight through the gate per family.
    private final Map<ModelFamily, Long> rampStartNanos = new EnumMap<>(ModelFamily.class);
    private final Map<ModelFamily, Integer> inFlight = new EnumMap<>(ModelFamily.class);

    /**
     * Creates a slow start.
     *
     * @param ramp how long a ramp lasts ({@link Duration#ZERO} disables it)
     * @param nanoClock a monotonic clock in nanoseconds
     */
    public SlowStart(Duration ramp, LongSupplier nanoClock) {
        this.ramp = Objects.requireNonNull(ramp, "ramp");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (ramp.isNegative()) {
            throw new IllegalArgumentException("ramp: " + ramp + " (expected: >= 0)");
        }
    }

    /** Starts (or restarts) a family's ramp. */
    public void begin(ModelFamily family) {
        if (ramp.isZero()) {
            return;
        }
        lock.lock();
        try {
            rampStartNanos.put(family, nanoClock.getAsLong());
            slotFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether a family is ramping now. */
    public boolean isRamping(ModelFamily family) {
        lock.lock();
        try {
            return rampFraction(family) < 1.0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the calls a family may have in flight through the gate now, given its pool limit; the pool limit
     * itself when it is not ramping.
     */
    public int allowedConcurrency(ModelFamily family, int poolLimit) {
        lock.lock();
        try {
            return allowed(family, poolLimit);
        } finally {
            lock.unlock();
        }
    }

    /** Returns a slot at once if the ramp allows one more call, or {@code null}. */
    public Slot tryEnter(ModelFamily family, int poolLimit) {
        lock.lock();
        try {
            return tryTake(family, poolLimit);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a slot, waiting up to {@code maxWait} for the ramp to allow one more call.
     *
     * @return the slot, or {@code null} if the wait ran out
     * @throws InterruptedException if interrupted while waiting
     */
    public Slot enter(ModelFamily family, int poolLimit, Duration maxWait) throws InterruptedException {
        long deadline = nanoClock.getAsLong() + maxWait.toNanos();
        lock.lock();
        try {
            while (true) {
                Slot slot = tryTake(family, poolLimit);
                long remaining = deadline - nanoClock.getAsLong();
                if (slot != null || remaining <= 0) {
                    return slot;
                }
                // The allowance grows with time, not only when a slot is freed: wake up at least every 50 ms.
                slotFreed.await(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private Slot tryTake(ModelFamily family, int poolLimit) {
        int current = inFlight.getOrDefault(family, 0);
        if (current >= allowed(family, poolLimit)) {
            return null;
        }
        inFlight.put(family, current + 1);
        return new Slot(family);
    }

    private int allowed(ModelFamily family, int poolLimit) {
        double fraction = rampFraction(family);
        if (fraction >= 1.0) {
            return Integer.MAX_VALUE;
        }
        return Math.max(1, (int) Math.ceil(poolLimit * fraction));
    }

    private double rampFraction(ModelFamily family) {
        Long start = rampStartNanos.get(family);
        if (start == null) {
            return 1.0;
        }
        double fraction = (double) (nanoClock.getAsLong() - start) / ramp.toNanos();
        if (fraction >= 1.0) {
            rampStartNanos.remove(family);
        }
        return fraction;
    }

    private void free(ModelFamily family) {
        lock.lock();
        try {
            inFlight.merge(family, -1, Integer::sum);
            slotFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One call in flight through the gate; {@link #close()} frees it (idempotent). */
    public final class Slot implements AutoCloseable {
        private final ModelFamily family;
        private boolean closed;

        private Slot(ModelFamily family) {
            this.family = family;
        }

        /** Frees the slot. */
        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                free(family);
            }
        }
    }
}
