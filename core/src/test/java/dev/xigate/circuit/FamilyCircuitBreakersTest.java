package dev.xigate.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.xigate.plan.ModelFamily;
import dev.xigate.retry.Outcome;
import dev.xigate.testing.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class FamilyCircuitBreakersTest {
    private static final ModelFamily FAMILY = ModelFamily.TURBO_FLASH;

    private final FakeTime time = new FakeTime();
    private final SlowStart slowStart = new SlowStart(Duration.ofSeconds(10), time.nanoClock());
    private final FamilyCircuitBreakers breakers = new FamilyCircuitBreakers(CircuitConfig.ofDefaults(), time.clock(),
            slowStart);
    private final List<String> events = new ArrayList<>();

    FamilyCircuitBreakersTest() {
        breakers.addListener(new CircuitListener() {
            @Override
            public void onStateChanged(ModelFamily family, CircuitState from, CircuitState to) {
                events.add(family.label() + ":" + from.label() + "->" + to.label());
            }

            @Override
            public void onCallRejected(ModelFamily family) {
                events.add(family.label() + ":rejected");
            }

            @Override
            public void onStateSampled(ModelFamily family, CircuitState state) {
                if (family == FAMILY) {
                    events.add("sample:" + state.label());
                }
            }
        });
    }

    private void record(Outcome outcome) {
        CircuitPermission permission = breakers.tryEnter(FAMILY);
        assertThat(permission).isInstanceOf(CircuitPermission.Permitted.class);
        ((CircuitPermission.Permitted) permission).call().record(outcome);
    }

    private void openIt() {
        for (int i = 0; i < 5; i++) {
            record(Outcome.NETWORK_ERROR);
        }
    }

    @Test
    void opensAfterFiveConsecutiveFailures() {
        for (int i = 0; i < 4; i++) {
            record(Outcome.SERVER_ERROR);
        }
        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.CLOSED);

        record(Outcome.TIMEOUT);

        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.OPEN);
        assertThat(events).containsExactly("turbo_flash:closed->open");
    }

    @Test
    void successBreaksTheStreak() {
        for (int i = 0; i < 4; i++) {
            record(Outcome.SERVER_ERROR);
        }
        record(Outcome.SUCCESS);
        for (int i = 0; i < 4; i++) {
            record(Outcome.SERVER_ERROR);
        }

        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void rateLimitsAndClientErrorsNeitherCountNorBreakStreak() {
        for (int i = 0; i < 4; i++) {
            record(Outcome.SERVER_ERROR);
        }
        for (int i = 0; i < 20; i++) {
            record(Outcome.RATE_LIMITED_CONCURRENCY);
            record(Outcome.RATE_LIMITED_BUSY);
            record(Outcome.CLIENT_ERROR);
        }
        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.CLOSED);

        record(Outcome.SERVER_ERROR);

        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void openBreakerFailsFastWithRemainingWait() {
        openIt();
        time.advance(Duration.ofSeconds(20));

        CircuitPermission permission = breakers.tryEnter(FAMILY);

        assertThat(permission).isEqualTo(new CircuitPermission.Rejected(Duration.ofSeconds(40)));
        assertThat(events).contains("turbo_flash:rejected");
    }

    @Test
    void familiesAreIndependent() {
        openIt();

        assertThat(breakers.tryEnter(ModelFamily.MULTILINGUAL)).isInstanceOf(CircuitPermission.Permitted.class);
        assertThat(breakers.state(ModelFamily.MULTILINGUAL)).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void letsFewProbesThroughAfterOpenDurationAndClosesWhenAllSucceed() {
        openIt();
        time.advance(Duration.ofMillis(60_001));

        List<CircuitPermission> probes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            probes.add(breakers.tryEnter(FAMILY));
        }

        assertThat(probes).filteredOn(p -> p instanceof CircuitPermission.Permitted).hasSize(3);
        assertThat(probes.get(3)).isInstanceOf(CircuitPermission.Rejected.class);
        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.HALF_OPEN);
        probes.stream().limit(3).forEach(p -> ((CircuitPermission.Permitted) p).call().record(Outcome.SUCCESS));
        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.CLOSED);
        assertThat(events).containsSubsequence("turbo_flash:closed->open", "turbo_flash:open->half_open",
                "turbo_flash:half_open->closed");
        assertThat(slowStart.isRamping(FAMILY)).isTrue();
    }

    @Test
    void oneFailedProbeReopens() {
        openIt();
        time.advance(Duration.ofSeconds(61));
        CircuitCall first = ((CircuitPermission.Permitted) breakers.tryEnter(FAMILY)).call();
        CircuitCall second = ((CircuitPermission.Permitted) breakers.tryEnter(FAMILY)).call();

        first.record(Outcome.SUCCESS);
        second.record(Outcome.SERVER_ERROR);

        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.OPEN);
        assertThat(breakers.retryAfter(FAMILY)).isEqualTo(Duration.ofSeconds(60));
        assertThat(slowStart.isRamping(FAMILY)).isFalse();
    }

    @Test
    void ignoredProbeFreesItsSlot() {
        openIt();
        time.advance(Duration.ofMillis(60_001));
        for (int i = 0; i < 3; i++) {
            CircuitCall call = ((CircuitPermission.Permitted) breakers.tryEnter(FAMILY)).call();
            call.record(Outcome.RATE_LIMITED_BUSY);
            call.record(Outcome.SERVER_ERROR);
        }

        assertThat(breakers.tryEnter(FAMILY)).isInstanceOf(CircuitPermission.Permitted.class);
        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void resetClosesByHand() {
        openIt();

        breakers.reset(FAMILY);

        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.CLOSED);
        assertThat(breakers.tryEnter(FAMILY)).isInstanceOf(CircuitPermission.Permitted.class);
        assertThat(slowStart.isRamping(FAMILY)).isTrue();
    }

    @Test
    void samplingMovesExpiredOpenBreakerToHalfOpen() {
        openIt();
        breakers.sampleStates();
        time.advance(Duration.ofMillis(60_001));

        breakers.sampleStates();

        assertThat(events).containsSubsequence("sample:open", "turbo_flash:open->half_open", "sample:half_open");
    }

    @Test
    void monitorSamplesOnSchedule() throws Exception {
        CircuitConfig fast = new CircuitConfig(5, Duration.ofSeconds(60), 3, Duration.ofMillis(10), Duration.ZERO);
        FamilyCircuitBreakers monitored = new FamilyCircuitBreakers(fast, time.clock(), slowStart);
        List<CircuitState> samples = new CopyOnWriteArrayList<>();
        monitored.addListener(new CircuitListener() {
            @Override
            public void onStateSampled(ModelFamily family, CircuitState state) {
                samples.add(state);
            }
        });
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            monitored.start(scheduler);

            await().until(() -> samples.size() >= 3 * ModelFamily.values().length);
            assertThatThrownBy(() -> monitored.start(scheduler)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot start circuit monitor: already started");
        } finally {
            monitored.close();
            scheduler.shutdownNow();
        }
    }

    @Test
    void configRejectsBadValues() {
        assertThatThrownBy(() -> CircuitConfig.ofDefaults().withFailureThreshold(0))
                .hasMessage("failureThreshold: 0 (expected: >= 1)");
        assertThatThrownBy(() -> CircuitConfig.ofDefaults().withHalfOpenProbes(0))
                .hasMessage("halfOpenProbes: 0 (expected: >= 1)");
        assertThatThrownBy(() -> CircuitConfig.ofDefaults().withOpenDuration(Duration.ZERO))
                .hasMessage("openDuration: PT0S (expected: >= 1ms)");
    }
}
