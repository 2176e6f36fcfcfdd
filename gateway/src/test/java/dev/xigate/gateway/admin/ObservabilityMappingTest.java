package dev.xigate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.cache.CacheDirective;
import dev.xigate.gateway.proxy.AdmissionStep;
import dev.xigate.gateway.proxy.ExchangeRecord;
import dev.xigate.gateway.proxy.ProxyHandler;
import dev.xigate.gateway.resilience.ResilienceStep;
import dev.xigate.metrics.RequestOutcome;
import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservabilityMappingTest {
    private static ExchangeRecord record(String family, int status, String outcome, Map<String, String> stages) {
        return new ExchangeRecord("r-1", "app", "POST", "text_to_speech", family, 1, status, Duration.ofMillis(900),
                Duration.ofMillis(40), 32_000, outcome, "eleven_flash_v2_5", "u-1", 120, Duration.ofMillis(200),
                stages);
    }

    @Test
    void mapsASuccessfulAudioAnswer() {
        RequestOutcome outcome = Observability.toOutcome(record("turbo_flash", 200, "ok", Map.of(
                ResilienceStep.ATTEMPTS_HEADER, "2", CacheDirective.HEADER, CacheDirective.MISS,
                ProxyHandler.OUTPUT_FORMAT_NOTE, "mp3_44100_128")));

        assertThat(outcome.family()).isEqualTo(ModelFamily.TURBO_FLASH);
        assertThat(outcome.priority()).isEqualTo("normal");
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.errorType()).isNull();
        assertThat(outcome.cache()).isEqualTo(RequestOutcome.CacheResult.MISS);
        assertThat(outcome.audioSeconds()).isEqualTo(2.0);
        assertThat(outcome.firstByteNanos()).isEqualTo(200_000_000L);
        assertThat(outcome.queueWaitNanos()).isEqualTo(40_000_000L);
    }

    @Test
    void namesTheLimitersRejectReasonAsErrorType() {
        RequestOutcome outcome = Observability.toOutcome(record("multilingual", 429, "rejected", Map.of(
                AdmissionStep.REJECT_REASON_HEADER, "queue_full")));

        assertThat(outcome.errorType()).isEqualTo("queue_full");
        assertThat(outcome.attempts()).isZero();
    }

    @Test
    void namesUpstreamErrorsByStatus() {
        RequestOutcome outcome = Observability.toOutcome(record("multilingual", 400, "upstream_status", Map.of()));

        assertThat(outcome.errorType()).isEqualTo("upstream_400");
        assertThat(outcome.attempts()).isEqualTo(1);
    }

    @Test
    void countsAVanishedClientAs499WithoutPool() {
        RequestOutcome outcome = Observability.toOutcome(record("-", 0, "client_gone", Map.of()));

        assertThat(outcome.status()).isEqualTo(499);
        assertThat(outcome.familyLabel()).isEqualTo("none");
        assertThat(outcome.errorType()).isEqualTo("client_gone");
    }

    @Test
    void marksAFallbackAnswer() {
        RequestOutcome outcome = Observability.toOutcome(record("turbo_flash", 200, "ok", Map.of(
                CacheDirective.HEADER, CacheDirective.FALLBACK)));

        assertThat(outcome.cache()).isEqualTo(RequestOutcome.CacheResult.FALLBACK);
        assertThat(outcome.errorType()).isEqualTo("upstream_failed");
    }
}
