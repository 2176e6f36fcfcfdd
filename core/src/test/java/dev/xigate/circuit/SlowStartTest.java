package dev.xigate.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.ModelFamily;
import dev.xigate.testing.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlowStartTest {
    private static final ModelFamily FAMILY = ModelFamily.MULTILINGUAL;

    private final FakeTime time = new FakeTime();
    private final SlowStart slowStart = new SlowStart(Duration.ofSeconds(10), time.nanoClock());

    @Test
    void doesNotLimitWhenNotRamping() {
        assertThat(slowStart.isRamping(FAMILY)).isFalse();
        assertThat(slowStart.allowedConcurrency(FAMILY, 10)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rampsLinearlyFromOneToFullLimit() {
        slowStart.begin(FAMILY);

        assertThat(slowStart.allowedConcurrency(FAMILY, 10)).isEqualTo(1);
        time.advance(Duration.ofSeconds(3));
        assertThat(slowStart.allowedConcurrency(FAMILY, 10)).isEqualTo(3);
        time.advance(Duration.ofMillis(4500));
        assertThat(slowStart.allowedConcurrency(FAMILY, 10)).isEqualTo(8);
        time.advance(Duration.ofMillis(2500));
        assertThat(slowStart.isRamping(FAMILY)).isFalse();
        assertThat(slowStart.allowedConcurrency(FAMILY, 10)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void gateHoldsCallsAboveRampAndFreesOnClose() {
        slowStart.begin(FAMILY);
        time.advance(Duration.ofSeconds(2));
        List<SlowStart.Slot> slots = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            SlowStart.Slot slot = slowStart.tryEnter(FAMILY, 10);
            if (slot != null) {
                slots.add(slot);
            }
        }

        assertThat(slots).hasSize(2);
        slots.get(0).close();
        slots.get(0).close();
        assertThat(slowStart.tryEnter(FAMILY, 10)).isNotNull();
        assertThat(slowStart.tryEnter(FAMILY, 10)).isNull();
    }

    @Test
    void otherFamiliesAreNotGated() {
        slowStart.begin(FAMILY);

        assertThat(slowStart.tryEnter(FAMILY, 10)).isNotNull();
        assertThat(slowStart.tryEnter(FAMILY, 10)).isNull();
        assertThat(slowStart.tryEnter(ModelFamily.STT, 10)).isNotNull();
        assertThat(slowStart.tryEnter(ModelFamily.STT, 10)).isNotNull();
    }

    @Test
    void waitingCallerEntersWhenSlotIsFreed() throws Exception {
        SlowStart real = new SlowStart(Duration.ofMinutes(10), System::nanoTime);
        real.begin(FAMILY);
        SlowStart.Slot first = real.tryEnter(FAMILY, 4);

        CompletableFuture<SlowStart.Slot> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return real.enter(FAMILY, 4, Duration.ofSeconds(30));
            } catch (InterruptedException interrupted) {
                throw new IllegalStateException(interrupted);
            }
        });
        assertThat(real.enter(FAMILY, 4, Duration.ofMillis(20))).isNull();
        first.close();

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void zeroRampDisablesGate() {
        SlowStart off = new SlowStart(Duration.ZERO, time.nanoClock());
        off.begin(FAMILY);

        assertThat(off.isRamping(FAMILY)).isFalse();
    }
}
