package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void defaultsAreProOnLoopbackWithThePlanLimits() {
        SimulatorConfig config = SimulatorConfig.ofDefaults();

        assertThat(config.plan()).isEqualTo(PlanTier.PRO);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.limit(ModelFamily.MULTILINGUAL)).isEqualTo(10);
        assertThat(config.limit(ModelFamily.TURBO_FLASH)).isEqualTo(20);
        assertThat(config.characterLimit()).isEqualTo(PlanTier.PRO.monthlyCharacters());
        assertThat(config.latency().get(ModelFamily.TURBO_FLASH).ttfb()).isEqualTo(Duration.ofMillis(75));
        assertThat(config.accepts("anything")).isTrue();
        assertThat(config.accepts("")).isFalse();
    }

    @Test
    void overridesReplaceThePlan() {
        SimulatorConfig config = SimulatorConfig.builder().plan(PlanTier.FREE).limit(ModelFamily.MUSIC, 1)
                .apiKeys(Set.of("a")).build();

        assertThat(config.limit(ModelFamily.MULTILINGUAL)).isEqualTo(2);
        assertThat(config.limit(ModelFamily.MUSIC)).isEqualTo(1);
        assertThat(config.accepts("a")).isTrue();
        assertThat(config.accepts("b")).isFalse();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void badValuesAreRefusedWithTheirConstraint() {
        assertThatThrownBy(() -> SimulatorConfig.builder().port(70_000).build())
                .hasMessage("port: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> SimulatorConfig.builder().latencyScale(-1))
                .hasMessage("latencyScale: -1.0 (expected: >= 0)");
        assertThatThrownBy(() -> SimulatorConfig.builder().limit(ModelFamily.STT, -2))
                .hasMessage("limit stt: -2 (expected: >= 0)");
        assertThatThrownBy(() -> ChaosConfig.builder().failureRate(FaultKind.RESET, 1.5))
                .hasMessage("failure rate reset: 1.5 (expected: 0..1)");
        assertThatThrownBy(() -> new LatencyProfile(Duration.ofMillis(-1), Duration.ZERO, 0))
                .hasMessage("ttfb: PT-0.001S (expected: >= 0)");
        assertThatThrownBy(() -> FaultKind.fromLabel("boom")).hasMessageStartingWith("fault kind: boom (expected:");
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() {
        try (Simulator first = Simulator.start(SimulatorConfig.builder().build())) {
            SimulatorConfig same = SimulatorConfig.builder().port(first.port()).build();

            assertThatThrownBy(() -> Simulator.start(same)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start simulator on 127.0.0.1:" + first.port());
        }
    }

    @Test
    void chaosRoundTripsThroughItsBuilder() {
        ChaosConfig chaos = ChaosConfig.builder().failureRate(FaultKind.ERROR_502, 0.3).limit(ModelFamily.STT, 4)
                .retryAfterSeconds(0).build();

        assertThat(chaos.toBuilder().build()).isEqualTo(chaos);
        assertThat(chaos.failureRate(FaultKind.ERROR_500)).isZero();
        assertThat(ChaosConfig.none().limits()).isEmpty();
    }
}
