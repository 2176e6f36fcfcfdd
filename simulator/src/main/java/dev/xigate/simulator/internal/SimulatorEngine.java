package dev.xigate.simulator.internal;

import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.FaultKind;
import dev.xigate.simulator.SimulatorConfig;
import dev.xigate.simulator.SimulatorStats;
import dev.xigate.simulator.SlotHold;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds the state of one simulated account (limits, quota, statistics, chaos) and admits generation requests.
 * Thread-safe; shared by every request and by the {@link dev.xigate.simulator.Simulator} facade.
 */
public final class SimulatorEngine {
    private final SimulatorConfig config;
    private final StatsRecorder stats = new StatsRecorder(System::nanoTime);
    private final ConcurrencyGate gate = new ConcurrencyGate();
    private final QuotaLedger quota;
    private final ChaosState chaos;
    private final LatencyModel latency;
    private final Map<String, HeldSlots> holds = new ConcurrentHashMap<>();
    private final AtomicLong holdSequence = new AtomicLong();

    /** Creates the engine of a configuration. */
    public SimulatorEngine(SimulatorConfig config) {
        this.config = config;
        this.quota = new QuotaLedger(config.characterLimit());
        this.chaos = new ChaosState(config.chaos());
        this.latency = new LatencyModel(config);
    }

    /** Returns the configuration. */
    public SimulatorConfig config() {
        return config;
    }

    /** Returns the concurrency limit in effect for a family: chaos override, then configured override, then plan. */
    public int limit(ModelFamily family) {
        Integer chaosLimit = chaos.config().limits().get(family);
        return chaosLimit != null ? chaosLimit : config.limit(family);
    }

    /** Returns a statistics snapshot. */
    public SimulatorStats stats() {
        return stats.snapshot(this::limit);
    }

    /** Zeroes the statistics and the credits used. */
    public void reset() {
        stats.reset();
        quota.reset();
    }

    /** Returns the chaos in effect. */
    public ChaosConfig chaos() {
        return chaos.config();
    }

    /** Replaces the chaos in effect. */
    public void chaos(ChaosConfig newChaos) {
        chaos.config(newChaos);
    }

    /** Makes the next {@code count} applicable generation requests fail with {@code kind}. */
    public void failNext(FaultKind kind, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        chaos.queue(kind, count);
    }

    /** Returns the one-shot faults still queued. */
    public Map<FaultKind, Integer> queuedFaults() {
        return chaos.queued();
    }

    /** Forgets every queued one-shot fault. */
    public void clearQueuedFaults() {
        chaos.clearQueued();
    }

    /** Takes {@code slots} slots of a family for a key, whatever the limit, until the hold is closed. */
    public SlotHold hold(String apiKey, ModelFamily family, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots: " + slots + " (expected: >= 1)");
        }
        String id = "hold-" + holdSequence.incrementAndGet();
        HeldSlots held = new HeldSlots(id, family, slots, gate.force(apiKey, family, slots));
        stats.held(family, slots);
        holds.put(id, held);
        return held;
    }

    /** Releases a hold by id; returns whether it existed. */
    public boolean release(String holdId) {
        HeldSlots held = holds.get(holdId);
        if (held == null) {
            return false;
        }
        held.close();
        return true;
    }

    StatsRecorder recorder() {
        return stats;
    }

    QuotaLedger quota() {
        return quota;
    }

    LatencyModel latency() {
        return latency;
    }

    int inUse(String apiKey, ModelFamily family) {
        return gate.inUse(apiKey, family);
    }

    /**
     * Returns an admission for a generation request, or throws the answer the live API would give: an injected
     * fault, 429 when the key's family is at its limit, 401 when the credits would pass the quota. Close the
     * admission when the request ends.
     */
    Admission admit(String apiKey, ModelFamily family, long credits, Set<FaultKind> applicableFaults) {
        ChaosConfig current = chaos.config();
        FaultKind fault = chaos.draw(applicableFaults);
        if (fault != null) {
            switch (fault) {
                case SYSTEM_BUSY -> throw Errors.systemBusy(current.retryAfterSeconds());
                case ERROR_500 -> throw Errors.internalError();
                case ERROR_502 -> throw Errors.badGateway();
                case ERROR_503 -> throw Errors.unavailable(current.retryAfterSeconds());
                case RESET -> throw new ResetException();
                default -> {
                    // Stream faults happen later, in the middle of the body.
                }
            }
        }
        int limit = limit(family);
        ConcurrencyGate.Lease lease = gate.tryAcquire(apiKey, family, limit);
        if (lease == null) {
            stats.concurrencyRejection(family);
            throw Errors.concurrencyLimit(limit);
        }
        if (!quota.tryCharge(apiKey, credits)) {
            lease.close();
            long remaining = Math.max(0, quota.limit() - quota.used(apiKey));
            throw Errors.quotaExceeded(quota.limit(), remaining, credits);
        }
        stats.started(family);
        return new Admission(family, lease, fault, credits, limit, current);
    }

    /** Sleeps the calling (virtual) thread; an interrupt ends the sleep early and is kept. */
    static void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns a granted generation slot; closing it returns the slot exactly once. */
    final class Admission implements AutoCloseable {
        private final ModelFamily family;
        private final ConcurrencyGate.Lease lease;
        private final FaultKind streamFault;
        private final long credits;
        private final int limit;
        private final ChaosConfig chaosAtStart;
        private boolean closed;

        private Admission(ModelFamily family, ConcurrencyGate.Lease lease, FaultKind streamFault, long credits,
                int limit, ChaosConfig chaosAtStart) {
            this.family = family;
            this.lease = lease;
            this.streamFault = streamFault;
            this.credits = credits;
            this.limit = limit;
            this.chaosAtStart = chaosAtStart;
        }

        FaultKind streamFault() {
            return streamFault;
        }

        long credits() {
            return credits;
        }

        int limit() {
            return limit;
        }

        int inUse() {
            return lease.inUseAfterAcquire();
        }

        ChaosConfig chaos() {
            return chaosAtStart;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                lease.close();
                stats.finished(family);
            }
        }
    }

    private final class HeldSlots implements SlotHold {
        private final String id;
        private final ModelFamily family;
        private final int slots;
        private final ConcurrencyGate.Lease lease;
        private boolean closed;

        private HeldSlots(String id, ModelFamily family, int slots, ConcurrencyGate.Lease lease) {
            this.id = id;
            this.family = family;
            this.slots = slots;
            this.lease = lease;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                lease.close();
                stats.held(family, -slots);
                holds.remove(id);
            }
        }
    }
}
