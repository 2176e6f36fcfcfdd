package dev.xigate.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.ModelFamily;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {

    @Test
    void neverGrantsMoreThanTheLimitUnderContention() {
        ConcurrencyGate gate = new ConcurrencyGate();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();

        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int worker = 0; worker < 8; worker++) {
                pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        try (ConcurrencyGate.Lease lease = gate.tryAcquire("k", ModelFamily.MULTILINGUAL, 3)) {
                            if (lease != null) {
                                granted.incrementAndGet();
                                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                                inside.decrementAndGet();
                            }
                        }
                    }
                });
            }
        }

        assertThat(most.get()).isBetween(1, 3);
        assertThat(granted.get()).isPositive();
        assertThat(gate.inUse("k", ModelFamily.MULTILINGUAL)).isZero();
    }

    @Test
    void keysAndFamiliesHaveSeparateCounters() {
        ConcurrencyGate gate = new ConcurrencyGate();

        ConcurrencyGate.Lease first = gate.tryAcquire("a", ModelFamily.MULTILINGUAL, 1);

        assertThat(first).isNotNull();
        assertThat(gate.tryAcquire("a", ModelFamily.MULTILINGUAL, 1)).isNull();
        assertThat(gate.tryAcquire("b", ModelFamily.MULTILINGUAL, 1)).isNotNull();
        assertThat(gate.tryAcquire("a", ModelFamily.TURBO_FLASH, 1)).isNotNull();
        first.close();
        first.close();
        assertThat(gate.inUse("a", ModelFamily.MULTILINGUAL)).isZero();
    }

    @Test
    void forcedSlotsCountAgainstTheLimit() {
        ConcurrencyGate gate = new ConcurrencyGate();

        ConcurrencyGate.Lease held = gate.force("a", ModelFamily.MUSIC, 2);

        assertThat(gate.tryAcquire("a", ModelFamily.MUSIC, 2)).isNull();
        held.close();
        assertThat(gate.tryAcquire("a", ModelFamily.MUSIC, 2)).isNotNull();
    }
}
