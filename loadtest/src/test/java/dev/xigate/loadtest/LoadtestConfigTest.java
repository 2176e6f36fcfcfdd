package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.plan.PlanTier;
import java.net.URI;
import org.junit.jupiter.api.Test;

class LoadtestConfigTest {
    private static final URI LOCAL = URI.create("http://127.0.0.1:8080");
    private static final URI REMOTE = URI.create("https://api.elevenlabs.io");

    @Test
    void seedPatternsGetTheirDefaults() {
        LoadtestConfig ramp = LoadtestConfig.builder().target(LOCAL).build();
        LoadtestConfig burst = LoadtestConfig.builder().pattern(LoadPattern.BURST).target(LOCAL).build();
        LoadtestConfig chaos = LoadtestConfig.builder().pattern(LoadPattern.CHAOS).target(LOCAL).simulator(LOCAL)
                .build();

        assertThat(ramp.mode()).isEqualTo(LoadMode.OPEN);
        assertThat(ramp.startRps()).isEqualTo(1.0);
        assertThat(ramp.endRps()).isEqualTo(10.0);
        assertThat(ramp.durationSeconds()).isEqualTo(300);
        assertThat(burst.mode()).isEqualTo(LoadMode.CLOSED);
        assertThat(burst.concurrency()).isEqualTo(50);
        assertThat(burst.iterations()).isEqualTo(100);
        assertThat(chaos.failureRate()).isEqualTo(0.1);
        assertThat(chaos.durationSeconds()).isEqualTo(120);
    }

    @Test
    void remoteTargetNeedsAllowRemote() {
        assertThatThrownBy(() -> LoadtestConfig.builder().target(REMOTE).build())
                .hasMessageStartingWith("--target: https://api.elevenlabs.io (expected: a loopback address");
    }

    @Test
    void remoteTargetNeedsTheConfirmedPlanToMatch() {
        assertThatThrownBy(() -> LoadtestConfig.builder().target(REMOTE).allowRemote(true).planTier(PlanTier.PRO)
                .build()).hasMessageStartingWith("--confirm-plan: missing (expected: pro");
        assertThatThrownBy(() -> LoadtestConfig.builder().target(REMOTE).allowRemote(true).planTier(PlanTier.PRO)
                .confirmPlan(PlanTier.SCALE).build()).hasMessageStartingWith("--confirm-plan: scale (expected: pro");
    }

    @Test
    void remoteTargetRunsWhenAllowedAndConfirmed() {
        LoadtestConfig config = LoadtestConfig.builder().target(REMOTE).allowRemote(true).planTier(PlanTier.PRO)
                .confirmPlan(PlanTier.PRO).build();

        assertThat(config.target()).isEqualTo(REMOTE);
    }

    @Test
    void remoteSimulatorNeedsAllowRemote() {
        assertThatThrownBy(() -> LoadtestConfig.builder().target(LOCAL).simulator(URI.create("http://10.1.2.3:1"))
                .build()).hasMessageStartingWith("--simulator: http://10.1.2.3:1 (expected: a loopback address");
    }

    @Test
    void outOfRangeOptionsAreRejectedWithTheirBounds() {
        assertThatThrownBy(() -> LoadtestConfig.builder().target(LOCAL).durationSeconds(0).build())
                .hasMessage("--duration: 0 (expected: 1..86400 seconds)");
        assertThatThrownBy(() -> LoadtestConfig.builder().target(LOCAL).failureRate(1.5).build())
                .hasMessage("--failure-rate: 1.5 (expected: 0..1)");
        assertThatThrownBy(() -> LoadtestConfig.builder().target(URI.create("ftp://127.0.0.1/")).build())
                .hasMessage("--target: ftp://127.0.0.1/ (expected: an http:// or https:// URL)");
    }

    @Test
    void describeNeverShowsTheApiKey() {
        LoadtestConfig config = LoadtestConfig.builder().target(LOCAL).apiKey("sk_secret").build();

        assertThat(config.describe().toString()).doesNotContain("sk_secret");
    }
}
