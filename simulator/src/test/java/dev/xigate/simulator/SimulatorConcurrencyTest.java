package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatorConcurrencyTest {
    private Simulator sim;
    private SimHttp http;
    private long startNanos;

    @BeforeEach
    void start() {
        startNanos = System.nanoTime();
        // Every multilingual request takes 2 s, so 25 requests sent together certainly overlap.
        sim = Simulator.start(SimulatorConfig.builder().plan(PlanTier.PRO)
                .latency(ModelFamily.MULTILINGUAL, new LatencyProfile(Duration.ofSeconds(2), Duration.ZERO, 0))
                .build());
        http = new SimHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void proPlanRunsTenMultilingualAndRejectsTheRest() {
        List<HttpResponse<byte[]>> responses = fire(25, "eleven_multilingual_v2");

        List<HttpResponse<byte[]>> ok = responses.stream().filter(r -> r.statusCode() == 200).toList();
        List<HttpResponse<byte[]>> rejected = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(ok).hasSize(10);
        assertThat(rejected).hasSize(15);
        HttpResponse<byte[]> first = rejected.get(0);
        JsonNode detail = SimHttp.json(first).get("detail");
        assertThat(detail.get("status").asText()).isEqualTo("too_many_concurrent_requests");
        assertThat(detail.get("code").asText()).isEqualTo("concurrent_limit_exceeded");
        assertThat(detail.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(detail.get("message").asText()).contains("maximum of 10 concurrent requests");
        assertThat(detail.get("request_id").asText()).isEqualTo(first.headers().firstValue("x-trace-id").orElseThrow());
        assertThat(first.headers().firstValue("Retry-After")).isEmpty();
        assertThat(first.headers().firstValue("character-cost")).isEmpty();
        assertThat(ok.get(0).headers().firstValue("maximum-concurrent-requests")).contains("10");
        assertThat(ok.get(0).headers().firstValue("current-concurrent-requests").map(Integer::parseInt).orElseThrow())
                .isBetween(1, 10);

        SimulatorStats.FamilyStats stats = sim.stats().family(ModelFamily.MULTILINGUAL);
        assertThat(stats.requests()).isEqualTo(25);
        assertThat(stats.responses(200)).isEqualTo(10);
        assertThat(stats.responses(429)).isEqualTo(15);
        assertThat(stats.concurrencyRejections()).isEqualTo(15);
        assertThat(stats.maxConcurrency()).isEqualTo(10);
        // The slot is given back just after the last byte is written: the client can get there first.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> sim.stats().family(ModelFamily.MULTILINGUAL).currentConcurrency() == 0);
        JsonNode overHttp = SimHttp.json(http.get("/_sim/stats")).get("families").get("multilingual");
        assertThat(overHttp.get("max_concurrency").asInt()).isEqualTo(10);
        assertThat(overHttp.get("responses").get("429").asInt()).isEqualTo(15);
        // Ten 2-second requests held ten slots for at least 20 slot-seconds, and never more than ten at a time.
        long busyNanos = sim.stats().family(ModelFamily.MULTILINGUAL).busySlotNanos();
        assertThat(busyNanos).isGreaterThanOrEqualTo(Duration.ofSeconds(20).toNanos())
                .isLessThanOrEqualTo(10 * (System.nanoTime() - startNanos));
        assertThat(overHttp.get("busy_slot_nanos").asLong()).isGreaterThanOrEqualTo(Duration.ofSeconds(20).toNanos());
    }

    @Test
    void familiesHaveSeparateLimits() {
        sim.chaos(ChaosConfig.builder().limit(ModelFamily.TURBO_FLASH, 1).build());
        try (SlotHold ignored = sim.holdSlots(SimHttp.KEY, ModelFamily.MULTILINGUAL, 10)) {
            HttpResponse<byte[]> multilingual = http.post("/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID,
                    SimHttp.tts("hi", "eleven_multilingual_v2"));
            HttpResponse<byte[]> flash = http.post("/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID,
                    SimHttp.tts("hi", "eleven_flash_v2_5"));

            assertThat(multilingual.statusCode()).isEqualTo(429);
            assertThat(flash.statusCode()).isEqualTo(200);
            assertThat(flash.headers().firstValue("maximum-concurrent-requests")).contains("1");
        }
        assertThat(sim.stats().family(ModelFamily.MULTILINGUAL).heldSlots()).isZero();
    }

    @Test
    void resetZeroesStatistics() {
        http.post("/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID, SimHttp.tts("hi", "eleven_flash_v2_5"));

        http.send(http.request("/_sim/reset").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(sim.stats().family(ModelFamily.TURBO_FLASH).requests()).isZero();
        assertThat(sim.stats().family(ModelFamily.TURBO_FLASH).maxConcurrency()).isZero();
    }

    private List<HttpResponse<byte[]>> fire(int count, String model) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
            String body = SimHttp.tts("A sentence long enough to be spoken.", model);
            for (int i = 0; i < count; i++) {
                futures.add(CompletableFuture.supplyAsync(
                        () -> http.post("/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID, body), pool));
            }
            return futures.stream().map(CompletableFuture::join).toList();
        }
    }
}
