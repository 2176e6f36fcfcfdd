package dev.xigate.simulator.internal;

import dev.xigate.plan.ModelFamily;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests in flight per API key and model family, and refuses a slot once the limit is reached (no
 * queue: the live API answers 429 at once). Thread-safe: each counter is a compare-and-set loop, so the limit is
 * never exceeded even when many requests arrive together.
 */
final class ConcurrencyGate {
    private final Map<SlotKey, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /** Returns a lease, or {@code null} when the key already uses {@code limit} slots of the family. */
    Lease tryAcquire(String apiKey, ModelFamily family, int limit) {
        AtomicInteger counter = counter(apiKey, family);
        while (true) {
            int current = counter.get();
            if (current >= limit) {
                return null;
            }
            if (counter.compareAndSet(current, current + 1)) {
                return new Lease(counter, current + 1);
            }
        }
    }

    /** Returns a lease of {@code slots} slots taken whatever the limit (another client's usage). */
    Lease force(String apiKey, ModelFamily family, int slots) {
        AtomicInteger counter = counter(apiKey, family);
        return new Lease(counter, counter.addAndGet(slots), slots);
    }

    /** Returns how many slots the key uses in the family right now. */
    int inUse(String apiKey, ModelFamily family) {
        AtomicInteger counter = inFlight.get(new SlotKey(apiKey, family));
        return counter == null ? 0 : counter.get();
    }

    private AtomicInteger counter(String apiKey, ModelFamily family) {
        return inFlight.computeIfAbsent(new SlotKey(apiKey, family), ignored -> new AtomicInteger());
    }

    private record SlotKey(String apiKey, ModelFamily family) {
    }

    /** Returns slots to the gate exactly once, however often it is closed. */
    static final class Lease implements AutoCloseable {
        private final AtomicInteger counter;
        private final int inUseAfterAcquire;
        private final int slots;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(AtomicInteger counter, int inUseAfterAcquire) {
            this(counter, inUseAfterAcquire, 1);
        }

        private Lease(AtomicInteger counter, int inUseAfterAcquire, int slots) {
            this.counter = counter;
            this.inUseAfterAcquire = inUseAfterAcquire;
            this.slots = slots;
        }

        int inUseAfterAcquire() {
            return inUseAfterAcquire;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                counter.addAndGet(-slots);
            }
        }
    }
}
