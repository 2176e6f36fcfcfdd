package dev.xigate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.metrics.MetricNames;
import dev.xigate.metrics.MicrometerGatewayMetrics;
import dev.xigate.metrics.QuotaStatus;
import dev.xigate.metrics.RequestOutcome;
import dev.xigate.plan.ModelFamily;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DashboardSamplerTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T12:00:00Z"));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);
    private final DashboardSampler sampler = new DashboardSampler(registry, now::get, Duration.ofSeconds(1));
    private final AtomicInteger inFlight = new AtomicInteger();

    @AfterEach
    void close() {
        metrics.close();
    }

    static RequestOutcome request(ModelFamily family, int status, long durationMillis,
            RequestOutcome.CacheResult cache) {
        return new RequestOutcome("r", null, "web", "tts", null, family, "normal", status, 1, 0,
                durationMillis * 1_000_000L, -1, 10, 0, status >= 400 ? "upstream_5xx" : null, cache);
    }

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }

    @Test
    void showsPoolLevelsAndWindowRates() {
        metrics.registerPool(ModelFamily.TURBO_FLASH, inFlight::get, () -> 20);
        metrics.registerQueue(ModelFamily.TURBO_FLASH, "low", () -> 9);
        metrics.registerQueue(ModelFamily.TURBO_FLASH, "high", () -> 3);
        metrics.registerBreaker("upstream", () -> MetricNames.BREAKER_HALF_OPEN);
        metrics.recordQuota(new QuotaStatus.Known(25, 100, now.get()));
        inFlight.set(7);
        for (int i = 0; i < 18; i++) {
            metrics.recordRequest(request(ModelFamily.TURBO_FLASH, 200, 400, RequestOutcome.CacheResult.HIT));
        }
        metrics.recordRequest(request(ModelFamily.TURBO_FLASH, 503, 4000, RequestOutcome.CacheResult.MISS));
        metrics.recordRequest(request(ModelFamily.TURBO_FLASH, 503, 4000, RequestOutcome.CacheResult.MISS));
        metrics.recordRetry(ModelFamily.TURBO_FLASH, "upstream_5xx");
        advance(Duration.ofSeconds(10));

        DashboardSnapshot snapshot = sampler.sample();

        DashboardSnapshot.Pool pool = snapshot.pools().getFirst();
        assertThat(pool.family()).isEqualTo("turbo_flash");
        assertThat(pool.inFlight()).isEqualTo(7);
        assertThat(pool.limit()).isEqualTo(20);
        assertThat(pool.queueByPriority()).containsEntry("high", 3).containsEntry("low", 9);
        assertThat(pool.queueByPriority().keySet()).containsExactly("high", "low");
        assertThat(pool.requestsPerSecond()).isEqualTo(2.0);
        assertThat(pool.errorRate()).isEqualTo(0.1);
        assertThat(pool.retryRate()).isEqualTo(0.05);
        assertThat(pool.cacheHitRatio()).isEqualTo(0.9);
        assertThat(pool.p50Millis()).isBetween(250.0, 500.0);
        assertThat(pool.p99Millis()).isBetween(3000.0, 5000.0);
        assertThat(snapshot.breakers()).containsExactly(new DashboardSnapshot.Breaker("upstream", "half_open"));
        assertThat(snapshot.quotaUsedPercentage()).isEqualTo(25.0);
        assertThat(snapshot.totals().requests()).isEqualTo(20);
    }

    @Test
    void coversOnlyTheWindowSinceThePreviousSample() {
        metrics.recordRequest(request(ModelFamily.MULTILINGUAL, 200, 100, RequestOutcome.CacheResult.BYPASS));
        advance(Duration.ofSeconds(2));
        sampler.sample();
        advance(Duration.ofSeconds(4));

        DashboardSnapshot quiet = sampler.sample();
        metrics.recordRequest(request(ModelFamily.MULTILINGUAL, 200, 2500, RequestOutcome.CacheResult.BYPASS));
        advance(Duration.ofSeconds(2));
        DashboardSnapshot busy = sampler.sample();

        assertThat(quiet.pools().getFirst().requestsPerSecond()).isZero();
        assertThat(quiet.pools().getFirst().p50Millis()).isNaN();
        assertThat(busy.pools().getFirst().requestsPerSecond()).isEqualTo(0.5);
        assertThat(busy.pools().getFirst().p50Millis()).isBetween(2000.0, 3000.0);
        assertThat(busy.totals().requests()).isEqualTo(2);
    }

    @Test
    void returnsThePreviousSnapshotWithinMinimumInterval() {
        advance(Duration.ofSeconds(5));
        DashboardSnapshot first = sampler.sample();
        advance(Duration.ofMillis(300));

        assertThat(sampler.sample()).isSameAs(first);
    }

    @Test
    void writesMissingFiguresAsJsonNull() throws Exception {
        metrics.registerPool(ModelFamily.STT, () -> 0, () -> 40);
        advance(Duration.ofSeconds(2));

        JsonNode json = new ObjectMapper().readTree(sampler.sample().toJson());

        assertThat(json.path("quotaUsedPercentage").isNull()).isTrue();
        JsonNode pool = json.path("pools").get(0);
        assertThat(pool.path("family").asText()).isEqualTo("stt");
        assertThat(pool.path("limit").asInt()).isEqualTo(40);
        assertThat(pool.path("p95Ms").isNull()).isTrue();
        assertThat(pool.path("requestsPerSecond").asDouble()).isZero();
    }

    @Test
    void interpolatesPercentileInsideItsBucket() {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        buckets.put(100.0, 0.0);
        buckets.put(200.0, 10.0);
        buckets.put(400.0, 10.0);

        assertThat(DashboardSampler.percentileMillis(buckets, 0.5)).isCloseTo(150.0, within(0.001));
        assertThat(DashboardSampler.percentileMillis(new TreeMap<>(), 0.5)).isNaN();
    }
}
