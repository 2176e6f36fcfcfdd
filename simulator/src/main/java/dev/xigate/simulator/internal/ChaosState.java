package dev.xigate.simulator.internal;

import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.FaultKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the chaos in effect and the queued one-shot faults, and draws the fault of each request. Thread-safe: the
 * configuration is replaced atomically, the one-shot counters are atomic.
 */
final class ChaosState {
    // Written by Simulator.chaos(...) and POST /_sim/chaos, read by every generation request.
    private volatile ChaosConfig config;
    private final Map<FaultKind, AtomicInteger> queued = new EnumMap<>(FaultKind.class);

    ChaosState(ChaosConfig initial) {
        this.config = initial;
        for (FaultKind kind : FaultKind.values()) {
            queued.put(kind, new AtomicInteger());
        }
    }

    ChaosConfig config() {
        return config;
    }

    void config(ChaosConfig newConfig) {
        this.config = newConfig;
    }

    void queue(FaultKind kind, int count) {
        queued.get(kind).addAndGet(count);
    }

    Map<FaultKind, Integer> queued() {
        Map<FaultKind, Integer> out = new EnumMap<>(FaultKind.class);
        queued.forEach((kind, count) -> out.put(kind, count.get()));
        return out;
    }

    void clearQueued() {
        queued.values().forEach(count -> count.set(0));
    }

    /** Returns the fault for one request among the applicable kinds, or {@code null}: queued ones first. */
    FaultKind draw(Set<FaultKind> applicable) {
        for (FaultKind kind : FaultKind.values()) {
            if (applicable.contains(kind) && takeQueued(queued.get(kind))) {
                return kind;
            }
        }
        ChaosConfig current = config;
        if (current.failureRates().isEmpty()) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (FaultKind kind : FaultKind.values()) {
            double rate = current.failureRate(kind);
            if (rate > 0 && applicable.contains(kind) && random.nextDouble() < rate) {
                return kind;
            }
        }
        return null;
    }

    private static boolean takeQueued(AtomicInteger count) {
        while (true) {
            int current = count.get();
            if (current <= 0) {
                return false;
            }
            if (count.compareAndSet(current, current - 1)) {
                return true;
            }
        }
    }
}
