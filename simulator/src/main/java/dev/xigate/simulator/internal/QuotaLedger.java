package dev.xigate.simulator.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Returns and charges the credits each API key has used this period. Thread-safe. */
final class QuotaLedger {
    private final long limit;
    private final Map<String, AtomicLong> used = new ConcurrentHashMap<>();

    QuotaLedger(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    long used(String apiKey) {
        AtomicLong counter = used.get(apiKey);
        return counter == null ? 0 : counter.get();
    }

    /** Returns whether the credits were charged; refuses (and charges nothing) when they would pass the limit. */
    boolean tryCharge(String apiKey, long credits) {
        AtomicLong counter = used.computeIfAbsent(apiKey, ignored -> new AtomicLong());
        while (true) {
            long current = counter.get();
            if (current + credits > limit) {
                return false;
            }
            if (counter.compareAndSet(current, current + credits)) {
                return true;
            }
        }
    }

    void reset() {
        used.clear();
    }
}
