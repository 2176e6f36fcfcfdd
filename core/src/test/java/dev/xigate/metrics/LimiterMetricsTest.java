package dev.xigate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.health.CheckResult;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.limit.Permit;
import dev.xigate.limit.Ticket;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimiterMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);
    private final LimiterConfig config = LimiterConfig.forPlan(PlanTier.FREE);
    private final Limiter limiter = Limiter.inMemory(config);
    private final List<AutoCloseable> held = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : held) {
            resource.close();
        }
        limiter.close();
        metrics.close();
    }

    @Test
    void exposesInFlightLimitAndQueueByPriority() {
        LimiterMetrics.bind(limiter, config.pools().keySet(), config.priorityLevels(), metrics);
        int limit = limiter.snapshot(ModelFamily.MULTILINGUAL).limit();
        for (int i = 0; i < limit; i++) {
            Permit permit = limiter.tryAcquire(AdmissionRequest.of(ModelFamily.MULTILINGUAL, 1, "web", 10, "r" + i));
            assertThat(permit).isNotNull();
            held.add(permit);
        }
        Ticket waiting = limiter.enqueue(AdmissionRequest.of(ModelFamily.MULTILINGUAL, 2, "web", 10, "q1"));
        held.add(waiting::cancel);

        assertThat(gauge(MetricNames.CONCURRENT_REQUESTS, "multilingual", null)).isEqualTo(limit);
        assertThat(gauge(MetricNames.CONCURRENCY_LIMIT, "multilingual", null)).isEqualTo(limit);
        assertThat(gauge(MetricNames.QUEUE_DEPTH, "multilingual", "low")).isEqualTo(1.0);
        assertThat(gauge(MetricNames.QUEUE_DEPTH, "multilingual", "high")).isZero();
        assertThat(LimiterMetrics.queueChecks(limiter, List.of(ModelFamily.MULTILINGUAL), 1).getFirst().check())
                .isInstanceOf(CheckResult.Degraded.class);
    }

    @Test
    void recordsQueueWaitOfAdmittedRequests() throws Exception {
        LimiterMetrics.bind(limiter, config.pools().keySet(), config.priorityLevels(), metrics);

        try (Permit permit = limiter.tryAcquire(AdmissionRequest.of(ModelFamily.TURBO_FLASH, 0, "web", 5, "r1"))) {
            assertThat(permit).isNotNull();
        }

        assertThat(registry.get(MetricNames.QUEUE_WAIT_SECONDS).tag(MetricNames.TAG_PRIORITY, "high").timer()
                .count()).isEqualTo(1);
    }

    @Test
    void namesPriorityLevels() {
        assertThat(LimiterMetrics.priorityLabel(0, 3)).isEqualTo("high");
        assertThat(LimiterMetrics.priorityLabel(2, 3)).isEqualTo("low");
        assertThat(LimiterMetrics.priorityLabel(4, 5)).isEqualTo("p4");
    }

    private double gauge(String name, String family, String priority) {
        var search = registry.find(name).tag(MetricNames.TAG_FAMILY, family);
        if (priority != null) {
            search = search.tag(MetricNames.TAG_PRIORITY, priority);
        }
        return search.gauge().value();
    }
}
