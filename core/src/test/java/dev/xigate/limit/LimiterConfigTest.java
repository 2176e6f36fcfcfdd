package dev.xigate.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimiterConfigTest {

    @Test
    void defaultsFollowStarterPlanAndDocumentedValues() {
        LimiterConfig config = LimiterConfig.ofDefaults();

        assertThat(config.pool(ModelFamily.MULTILINGUAL).limit()).isEqualTo(3);
        assertThat(config.pool(ModelFamily.TURBO_FLASH).limit()).isEqualTo(6);
        assertThat(config.pool(ModelFamily.STT).maxQueue()).isEqualTo(100);
        assertThat(config.pool(ModelFamily.MUSIC).maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.priorityLevels()).isEqualTo(3);
        assertThat(config.adaptive()).isTrue();
    }

    @Test
    void planAndExplicitLimitsCombine() {
        LimiterConfig config = LimiterConfig.builder().plan(PlanTier.PRO).limit(ModelFamily.STT, 7)
                .maxQueue(ModelFamily.MUSIC, 5).build();

        assertThat(config.pool(ModelFamily.MULTILINGUAL).limit()).isEqualTo(10);
        assertThat(config.pool(ModelFamily.STT).limit()).isEqualTo(7);
        assertThat(config.pool(ModelFamily.MUSIC).maxQueue()).isEqualTo(5);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void rejectsBadValuesWithParamActualAndConstraint() {
        LimiterConfig.Builder builder = LimiterConfig.builder();

        assertThatThrownBy(() -> builder.limit(ModelFamily.STT, -1)).hasMessage("limit: -1 (expected: 0..100000)");
        assertThatThrownBy(() -> builder.maxQueue(-5)).hasMessage("maxQueue: -5 (expected: 0..10000000)");
        assertThatThrownBy(() -> builder.maxWait(Duration.ofSeconds(-1)))
                .hasMessage("maxWait: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> builder.priorityLevels(0)).hasMessage("priorityLevels: 0 (expected: 1..16)");
        assertThatThrownBy(() -> builder.probeInterval(Duration.ZERO))
                .hasMessage("probeInterval: PT0S (expected: > 0)");
        assertThatThrownBy(() -> builder.agingInterval(Duration.ofMillis(-1)))
                .hasMessage("agingInterval: PT-0.001S (expected: >= 0)");
    }

    @Test
    void rejectsBadPolicies() {
        assertThatThrownBy(() -> RatePolicy.tokenBucket(0, 1)).hasMessage("capacity: 0 (expected: >= 1)");
        assertThatThrownBy(() -> RatePolicy.tokenBucket(1, 0))
                .hasMessage("refillPerSecond: 0.0 (expected: > 0 and finite)");
        assertThatThrownBy(() -> RatePolicy.slidingWindow(0, Duration.ofSeconds(1)))
                .hasMessage("maxRequests: 0 (expected: 1..1000000)");
        assertThatThrownBy(() -> RatePolicy.characterBudget(10, Duration.ZERO))
                .hasMessage("period: PT0S (expected: > 0)");
    }

    @Test
    void rejectsBadRequests() {
        assertThatThrownBy(() -> AdmissionRequest.of(ModelFamily.STT, -1, "a", 0, "r"))
                .hasMessage("priority: -1 (expected: >= 0)");
        assertThatThrownBy(() -> AdmissionRequest.of(ModelFamily.STT, 0, " ", 0, "r"))
                .hasMessage("clientName: \" \" (expected: not blank)");
        assertThatThrownBy(() -> AdmissionRequest.builder(ModelFamily.STT).characters(-3).build())
                .hasMessage("characters: -3 (expected: >= 0)");
    }

    @Test
    void builderDefaultsRequestFields() {
        AdmissionRequest request = AdmissionRequest.builder(ModelFamily.STT).build();

        assertThat(request.priority()).isEqualTo(AdmissionRequest.DEFAULT_PRIORITY);
        assertThat(request.clientName()).isEqualTo("anonymous");
    }

    @Test
    void clientOverridesApplyByName() {
        RatePolicy window = RatePolicy.slidingWindow(5, Duration.ofSeconds(1));
        LimiterConfig config = LimiterConfig.builder().clientPolicies(window).clientPolicies("vip").build();

        assertThat(config.policiesOf("anyone")).containsExactly(window);
        assertThat(config.policiesOf("vip")).isEqualTo(List.of());
    }
}
