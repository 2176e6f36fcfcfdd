package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xigate.plan.ModelFamily;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChaosTest {
    private static final String TTS = "/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID;
    private Simulator sim;
    private SimHttp http;

    @BeforeEach
    void start() {
        sim = Simulator.start(SimulatorConfig.builder().latencyScale(0).build());
        http = new SimHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void systemBusyCarriesRetryAfterAndTheRealBody() {
        sim.failNext(FaultKind.SYSTEM_BUSY, 1);

        HttpResponse<byte[]> busy = speak();
        HttpResponse<byte[]> next = speak();

        assertThat(busy.statusCode()).isEqualTo(429);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        JsonNode detail = SimHttp.json(busy).get("detail");
        assertThat(detail.get("status").asText()).isEqualTo("system_busy");
        assertThat(detail.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(next.statusCode()).isEqualTo(200);
        SimulatorStats.FamilyStats stats = sim.stats().family(ModelFamily.MULTILINGUAL);
        assertThat(stats.requests()).isEqualTo(2);
        assertThat(stats.throttled()).isEqualTo(1);
        assertThat(stats.concurrencyRejections()).isZero();
    }

    @Test
    void serverErrorsUseTheirStatuses() {
        sim.failNext(FaultKind.ERROR_500, 1);
        sim.failNext(FaultKind.ERROR_502, 1);
        sim.failNext(FaultKind.ERROR_503, 1);

        assertThat(speak().statusCode()).isEqualTo(500);
        assertThat(speak().statusCode()).isEqualTo(502);
        HttpResponse<byte[]> unavailable = speak();
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).contains("1");
        assertThat(SimHttp.json(unavailable).get("detail").get("request_id").asText()).hasSize(32);
    }

    @Test
    void resetClosesTheConnectionWithoutAnswer() {
        sim.failNext(FaultKind.RESET, 1);

        assertThatThrownBy(this::speak).hasRootCauseInstanceOf(IOException.class);
        assertThat(speak().statusCode()).isEqualTo(200);
        // The slot is given back just after the last byte is written: the client can get there first.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> sim.stats().family(ModelFamily.MULTILINGUAL).currentConcurrency() == 0);
    }

    @Test
    void streamResetCutsTheBodyAfterSomeAudio() throws Exception {
        sim.failNext(FaultKind.STREAM_RESET, 1);

        HttpResponse<InputStream> response = http.client().send(ttsRequest(TTS + "/stream", "word ".repeat(60)),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        byte[] buffer = new byte[8_192];
        long received = 0;
        IOException failure = null;
        try (InputStream body = response.body()) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                received += n;
            }
        } catch (IOException e) {
            failure = e;
        }
        assertThat(failure).as("the stream must end with an error, not cleanly").isNotNull();
        assertThat(received).isPositive();
        // The slot is given back just after the last byte is written: the client can get there first.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> sim.stats().family(ModelFamily.MULTILINGUAL).currentConcurrency() == 0);
    }

    @Test
    void stalledStreamGoesSilentThenCloses() throws Exception {
        sim.chaos(ChaosConfig.builder().stall(Duration.ofMillis(300)).build());
        sim.failNext(FaultKind.STREAM_STALL, 1);

        HttpResponse<InputStream> response = http.client().send(ttsRequest(TTS + "/stream", "word ".repeat(60)),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
    }

    @Test
    void chaosIsSetAndReadOverHttp() {
        HttpResponse<byte[]> set = http.send(http.request("/_sim/chaos").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"failure_rates\": {\"error_503\": 1.0},"
                        + " \"limits\": {\"multilingual\": 3}, \"retry_after_seconds\": 0}")).build());

        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(sim.chaos().failureRate(FaultKind.ERROR_503)).isEqualTo(1.0);
        assertThat(sim.limit(ModelFamily.MULTILINGUAL)).isEqualTo(3);
        HttpResponse<byte[]> failed = speak();
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).isEmpty();
        JsonNode current = SimHttp.json(http.get("/_sim/chaos"));
        assertThat(current.get("limits").get("multilingual").asInt()).isEqualTo(3);
        assertThat(SimHttp.json(http.get("/_sim/stats")).get("families").get("multilingual").get("limit").asInt())
                .isEqualTo(3);

        HttpResponse<byte[]> bad = http.send(http.request("/_sim/chaos").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"failure_rates\": {\"error_503\": 2}}")).build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(SimHttp.json(bad).get("detail").get("message").asText()).contains("error_503: 2.0");

        http.send(http.request("/_sim/chaos").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(speak().statusCode()).isEqualTo(200);
    }

    @Test
    void heldSlotsOverHttpMakeRequestsHitTheLimit() {
        sim.chaos(ChaosConfig.builder().limit(ModelFamily.MULTILINGUAL, 2).build());
        HttpResponse<byte[]> hold = http.send(http.request("/_sim/hold").POST(HttpRequest.BodyPublishers.ofString(
                "{\"api_key\": \"" + SimHttp.KEY + "\", \"family\": \"multilingual\", \"slots\": 2}")).build());
        String holdId = SimHttp.json(hold).get("hold_id").asText();

        HttpResponse<byte[]> rejected = speak();
        http.send(http.request("/_sim/hold/" + holdId).DELETE().build());
        HttpResponse<byte[]> accepted = speak();

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(SimHttp.json(rejected).get("detail").get("message").asText()).contains("maximum of 2 concurrent");
        assertThat(accepted.statusCode()).isEqualTo(200);
    }

    private HttpResponse<byte[]> speak() {
        return http.send(ttsRequest(TTS, "Hello there."));
    }

    private HttpRequest ttsRequest(String path, String text) {
        return http.request(path).header("xi-api-key", SimHttp.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SimHttp.tts(text, null))).build();
    }
}
