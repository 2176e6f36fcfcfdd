package dev.xigate.simulator.internal;

import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.SimulatorStats;
import dev.xigate.simulator.SimulatorStats.FamilyStats;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Counts requests, responses and concurrency per model family, and integrates busy slots over time. Thread-safe:
 * lock-free counters, and a per-family lock for the concurrency and its time integral, which change together.
 */
final class StatsRecorder {
    private final Map<ModelFamily, Counters> families = new EnumMap<>(ModelFamily.class);
    private final LongAdder otherRequests = new LongAdder();
    private final AtomicInteger webSocketSessions = new AtomicInteger();
    private final LongSupplier nanoClock;

    StatsRecorder(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        for (ModelFamily family : ModelFamily.values()) {
            families.put(family, new Counters(now));
        }
    }

    void request(ModelFamily family) {
        families.get(family).requests.increment();
    }

    void otherRequest() {
        otherRequests.increment();
    }

    void response(ModelFamily family, int status) {
        Counters counters = families.get(family);
        counters.byStatus.computeIfAbsent(status, ignored -> new LongAdder()).increment();
        if (status == 429) {
            counters.throttled.increment();
        }
    }

    void concurrencyRejection(ModelFamily family) {
        families.get(family).concurrencyRejections.increment();
    }

    void characters(ModelFamily family, long count) {
        families.get(family).characters.add(count);
    }

    void started(ModelFamily family) {
        Counters counters = families.get(family);
        int now = counters.changeConcurrency(+1, nanoClock.getAsLong());
        counters.max.accumulateAndGet(now, Math::max);
    }

    void finished(ModelFamily family) {
        families.get(family).changeConcurrency(-1, nanoClock.getAsLong());
    }

    void held(ModelFamily family, int delta) {
        families.get(family).held.addAndGet(delta);
    }

    void webSocketOpened() {
        webSocketSessions.incrementAndGet();
    }

    void webSocketClosed() {
        webSocketSessions.decrementAndGet();
    }

    /** Zeroes every counter; the maximum concurrency restarts from the current one. */
    void reset() {
        otherRequests.reset();
        for (Counters counters : families.values()) {
            counters.requests.reset();
            counters.byStatus.clear();
            counters.throttled.reset();
            counters.concurrencyRejections.reset();
            counters.characters.reset();
            counters.max.set(counters.current.get());
        }
    }

    SimulatorStats snapshot(ToIntFunction<ModelFamily> limits) {
        Map<ModelFamily, FamilyStats> out = new EnumMap<>(ModelFamily.class);
        families.forEach((family, c) -> {
            Map<Integer, Long> statuses = new TreeMap<>();
            c.byStatus.forEach((status, count) -> statuses.put(status, count.sum()));
            out.put(family, new FamilyStats(c.requests.sum(), statuses, c.throttled.sum(),
                    c.concurrencyRejections.sum(), c.current.get(), c.max.get(), c.held.get(),
                    limits.applyAsInt(family), c.characters.sum(), c.busySlotNanos(nanoClock.getAsLong())));
        });
        return new SimulatorStats(out, otherRequests.sum(), webSocketSessions.get());
    }

    private static final class Counters {
        private final LongAdder requests = new LongAdder();
        private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        private final LongAdder throttled = new LongAdder();
        private final LongAdder concurrencyRejections = new LongAdder();
        private final LongAdder characters = new LongAdder();
        private final AtomicInteger current = new AtomicInteger();
        private final AtomicInteger max = new AtomicInteger();
        private final AtomicInteger held = new AtomicInteger();
        // Guarded by this: the integral of current concurrency over time, up to lastChangeNanos.
        private long busySlotNanos;
        private long lastChangeNanos;

        private Counters(long nowNanos) {
            this.lastChangeNanos = nowNanos;
        }

        synchronized int changeConcurrency(int delta, long nowNanos) {
            busySlotNanos += current.get() * (nowNanos - lastChangeNanos);
            lastChangeNanos = nowNanos;
            return current.addAndGet(delta);
        }

        synchronized long busySlotNanos(long nowNanos) {
            return busySlotNanos + current.get() * (nowNanos - lastChangeNanos);
        }
    }
}
