package dev.xigate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.ModelFamily;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicrometerGatewayMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    static RequestOutcome outcome(int status, String client, String errorType, RequestOutcome.CacheResult cache) {
        return new RequestOutcome("req-1", "user-1", client, "tts", "eleven_flash_v2_5", ModelFamily.TURBO_FLASH,
                "normal", status, 1, 2_000_000L, 1_500_000_000L, 300_000_000L, 120, 7.5, errorType, cache);
    }

    @Test
    void exposesEverySeedNameInPrometheusFormat() {
        AtomicInteger inFlight = new AtomicInteger(3);
        metrics.registerPool(ModelFamily.TURBO_FLASH, inFlight::get, () -> 20);
        metrics.registerQueue(ModelFamily.TURBO_FLASH, "high", () -> 4);
        metrics.registerBreaker("upstream", () -> MetricNames.BREAKER_OPEN);
        metrics.recordRequest(outcome(200, "web", null, RequestOutcome.CacheResult.MISS));
        metrics.recordRequest(outcome(503, "web", "upstream_5xx", RequestOutcome.CacheResult.BYPASS));
        metrics.recordRetry(ModelFamily.TURBO_FLASH, "rate_limited");
        metrics.recordQuota(new QuotaStatus.Known(9_500, 10_000, Instant.EPOCH));

        String text = registry.scrape();

        assertThat(text)
                .contains("# TYPE elevenlabs_requests_total counter")
                .contains("elevenlabs_requests_total{client=\"web\",endpoint=\"tts\",family=\"turbo_flash\","
                        + "priority=\"normal\",status_class=\"2xx\"} 1.0")
                .contains("# TYPE elevenlabs_requests_duration_seconds histogram")
                .contains("elevenlabs_requests_duration_seconds_bucket{endpoint=\"tts\",family=\"turbo_flash\","
                        + "status_class=\"2xx\",le=\"2.0\"} 1")
                .contains("elevenlabs_concurrent_requests{family=\"turbo_flash\"} 3.0")
                .contains("elevenlabs_queue_depth{family=\"turbo_flash\",priority=\"high\"} 4.0")
                .contains("elevenlabs_errors_total{endpoint=\"tts\",error_type=\"upstream_5xx\","
                        + "family=\"turbo_flash\"} 1.0")
                .contains("elevenlabs_retries_total{family=\"turbo_flash\",reason=\"rate_limited\"} 1.0")
                .contains("elevenlabs_circuit_breaker_state{breaker=\"upstream\"} 1.0")
                .contains("elevenlabs_characters_generated_total{client=\"web\",family=\"turbo_flash\"} 120.0")
                .contains("elevenlabs_audio_duration_seconds_total{family=\"turbo_flash\"} 7.5")
                .contains("elevenlabs_quota_used_percentage 95.0")
                .contains("elevenlabs_concurrency_limit{family=\"turbo_flash\"} 20.0")
                .contains("elevenlabs_cache_requests_total{family=\"turbo_flash\",result=\"miss\"} 1.0")
                .contains("elevenlabs_time_to_first_byte_seconds_bucket")
                .contains("jvm_memory_used_bytes")
                .contains("process_cpu_usage");
        for (String name : MetricNames.SEED_NAMES) {
            assertThat(text).containsPattern("(?m)^" + name + "(_total|_bucket)?[{ ]");
        }
    }

    @Test
    void namesCounterFamiliesAfterTheSeedInOpenMetrics() {
        metrics.recordRequest(outcome(200, "web", null, RequestOutcome.CacheResult.MISS));

        String openMetrics = registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");

        assertThat(openMetrics)
                .contains("# TYPE elevenlabs_characters_generated counter")
                .contains("# TYPE elevenlabs_audio_duration_seconds counter")
                .contains("# TYPE elevenlabs_requests_duration_seconds histogram")
                .contains("elevenlabs_characters_generated_total{client=\"web\",family=\"turbo_flash\"} 120.0");
    }

    @Test
    void keepsGaugeSuppliersThatNothingElseHolds() {
        AtomicInteger level = new AtomicInteger(5);
        metrics.registerPool(ModelFamily.STT, level::get, () -> level.get() * 8);

        System.gc();

        assertThat(registry.get(MetricNames.CONCURRENT_REQUESTS).gauge().value()).isEqualTo(5.0);
        assertThat(registry.get(MetricNames.CONCURRENCY_LIMIT).gauge().value()).isEqualTo(40.0);
    }

    @Test
    void capsClientLabelsAtTheirLimit() {
        for (int i = 0; i < 500; i++) {
            metrics.recordRequest(outcome(200, "client-" + i, null, RequestOutcome.CacheResult.BYPASS));
        }

        long clientSeries = registry.find(MetricNames.REQUESTS_TOTAL).counters().stream()
                .map(counter -> counter.getId().getTag(MetricNames.TAG_CLIENT))
                .distinct()
                .count();
        assertThat(clientSeries).isEqualTo(201);
        assertThat(registry.find(MetricNames.REQUESTS_TOTAL).tag(MetricNames.TAG_CLIENT, MetricNames.OTHER)
                .counter().count()).isEqualTo(300);
    }

    @Test
    void countsNoCharactersForFailedRequests() {
        metrics.recordRequest(outcome(429, "web", "rate_limited", RequestOutcome.CacheResult.BYPASS));

        assertThat(registry.get(MetricNames.CHARACTERS_GENERATED).counter().count()).isZero();
        assertThat(registry.get(MetricNames.ERRORS_TOTAL).tag(MetricNames.TAG_ERROR_TYPE, "rate_limited")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void countsFallbacksFromTheCacheResult() {
        metrics.recordRequest(outcome(200, "web", "circuit_open", RequestOutcome.CacheResult.FALLBACK));

        assertThat(registry.get(MetricNames.FALLBACKS_TOTAL).tag(MetricNames.TAG_REASON, "circuit_open")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void marksUpstreamDownWhenKeyIsRejected() {
        metrics.recordQuota(new QuotaStatus.Known(10, 100, Instant.EPOCH));
        metrics.recordQuota(new QuotaStatus.Rejected(401, "invalid_api_key", Instant.EPOCH));

        assertThat(registry.get(MetricNames.UPSTREAM_UP).gauge().value()).isZero();
        assertThat(registry.get(MetricNames.QUOTA_USED_PERCENTAGE).gauge().value()).isEqualTo(10.0);
    }

    @Test
    void countsRequestsWithoutPoolUnderFamilyNone() {
        metrics.recordRequest(new RequestOutcome("req-2", null, "web", "voices", null, null, "normal", 200, 1, 0,
                20_000_000L, 10_000_000L, 0, 0, null, RequestOutcome.CacheResult.BYPASS));

        assertThat(registry.get(MetricNames.REQUESTS_TOTAL).tag(MetricNames.TAG_FAMILY, "none").counter().count())
                .isEqualTo(1);
    }

    @Test
    void recordsQueueWaitPerPriority() {
        metrics.recordQueueWait(ModelFamily.MULTILINGUAL, "low", 250_000_000L);

        assertThat(registry.scrape()).contains("elevenlabs_queue_wait_seconds_bucket{family=\"multilingual\","
                + "priority=\"low\",le=\"0.25\"} 1");
    }
}
