package dev.xigate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.health.HealthChecks.BreakerView;
import dev.xigate.health.HealthChecks.BreakerView.State;
import dev.xigate.metrics.QuotaStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthAggregatorTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final InstantSource CLOCK = InstantSource.fixed(NOW);

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<QuotaStatus> quota = new AtomicReference<>(
            new QuotaStatus.Known(100, 1000, NOW.minusSeconds(5)));
    private final AtomicReference<BreakerView> breaker = new AtomicReference<>(
            new BreakerView(State.CLOSED, NOW.minusSeconds(600)));
    private HealthAggregator aggregator;

    @AfterEach
    void close() {
        release.countDown();
        if (aggregator != null) {
            aggregator.close();
        }
    }

    private HealthAggregator standard(HealthCheck... extra) {
        List<HealthCheck> checks = new ArrayList<>(List.of(
                HealthChecks.upstream(quota::get, Duration.ofMinutes(5), CLOCK),
                HealthChecks.queue("turbo_flash", () -> 12, 500),
                HealthChecks.breaker("upstream", breaker::get, Duration.ofMinutes(1), CLOCK)));
        checks.addAll(List.of(extra));
        aggregator = new HealthAggregator(checks, Duration.ofMillis(300), CLOCK);
        return aggregator;
    }

    @Test
    void isReadyWhenEveryCheckIsUp() throws Exception {
        HealthReport report = standard().ready();

        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertThat(report.httpStatus()).isEqualTo(200);
        assertThat(json.path("status").asText()).isEqualTo("UP");
        assertThat(json.path("time").asText()).isEqualTo("2026-12-03T12:00:00Z");
        assertThat(json.path("checks").path("upstream").path("detail").asText())
                .isEqualTo("key accepted, quota used 10.0%");
        assertThat(json.path("checks").path("queue:turbo_flash").path("detail").asText())
                .isEqualTo("queue depth 12 (alert at 500)");
    }

    @Test
    void failsReadyWhenUpstreamRejectsTheKey() {
        quota.set(new QuotaStatus.Rejected(401, "invalid_api_key", NOW.minusSeconds(3)));

        HealthReport report = standard().ready();

        assertThat(report.httpStatus()).isEqualTo(503);
        assertThat(report.checks().get("upstream")).isEqualTo(CheckResult.down(
                "upstream rejected the configured key: http 401 invalid_api_key (3 s ago)"));
    }

    @Test
    void failsReadyOnlyOnceBreakerOutlastsAlertWindow() {
        breaker.set(new BreakerView(State.OPEN, NOW.minusSeconds(30)));
        HealthReport early = standard().ready();
        breaker.set(new BreakerView(State.OPEN, NOW.minusSeconds(75)));

        HealthReport late = aggregator.ready();

        assertThat(early.status()).isEqualTo("DEGRADED");
        assertThat(early.isReady()).isTrue();
        assertThat(late.httpStatus()).isEqualTo(503);
        assertThat(late.checks().get("breaker:upstream").detail())
                .isEqualTo("breaker open for 75 s (longer than the alert window of 60 s)");
    }

    @Test
    void staysReadyButDegradedWhenQueueIsDeep() {
        aggregator = new HealthAggregator(List.of(HealthChecks.queue("stt", () -> 800, 500)), Duration.ofSeconds(1),
                CLOCK);

        HealthReport report = aggregator.ready();

        assertThat(report.status()).isEqualTo("DEGRADED");
        assertThat(report.httpStatus()).isEqualTo(200);
    }

    @Test
    void reportsUnreachableAndStalePollsAsDegraded() {
        assertThat(HealthChecks.upstreamResult(new QuotaStatus.Unreachable("timeout after 300 ms", NOW), Duration
                .ofMinutes(5), NOW)).isEqualTo(CheckResult.degraded("upstream unreachable: timeout after 300 ms"));
        assertThat(HealthChecks.upstreamResult(new QuotaStatus.Known(1, 2, NOW.minusSeconds(900)), Duration
                .ofMinutes(5), NOW)).isEqualTo(CheckResult.degraded("last subscription poll is 900 s old (max 300 s)"));
        assertThat(HealthChecks.upstreamResult(QuotaStatus.unknown(), Duration.ofMinutes(5), NOW))
                .isInstanceOf(CheckResult.Degraded.class);
    }

    @Test
    void reportsHangingCheckAsDownWithinTimeout() {
        HealthCheck hanging = HealthCheck.of("redis", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CheckResult.up("late");
        });

        HealthReport report = standard(hanging).ready();

        assertThat(report.checks().get("redis")).isEqualTo(CheckResult.down("no answer within 300 ms"));
        assertThat(report.checks().get("upstream")).isInstanceOf(CheckResult.Up.class);
    }

    @Test
    void reportsThrowingCheckAsDownWithReason() {
        HealthReport report = standard(HealthChecks.redis(() -> {
            throw new java.net.ConnectException("refused");
        })).ready();

        assertThat(report.checks().get("redis")).isEqualTo(CheckResult.down("ping failed: ConnectException"));
        assertThat(standard(HealthCheck.of("bad", () -> {
            throw new IllegalStateException("boom");
        })).ready().checks().get("bad").detail()).isEqualTo("check failed: java.lang.IllegalStateException: boom");
    }

    @Test
    void answersLiveWithoutRunningChecks() {
        HealthReport live = standard(HealthCheck.of("never", () -> {
            throw new AssertionError("live must not run checks");
        })).live();

        assertThat(live.status()).isEqualTo("UP");
        assertThat(live.toJson()).contains("\"process\"");
    }

    @Test
    void rejectsDuplicateCheckNames() {
        HealthCheck one = HealthCheck.of("redis", () -> CheckResult.up("ok"));

        assertThatThrownBy(() -> new HealthAggregator(List.of(one, one), Duration.ofSeconds(1), CLOCK))
                .hasMessage("checks: [redis, redis] (expected: distinct names)");
    }
}
