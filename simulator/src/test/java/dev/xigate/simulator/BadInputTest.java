package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xigate.plan.ModelFamily;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BadInputTest {
    private static final String TTS = "/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID;
    private static Simulator sim;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimulatorConfig.builder().latencyScale(0).maxBodyBytes(4_096).characterLimit(100)
                .apiKeys(Set.of(SimHttp.KEY, "other-key")).build());
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void malformedJsonGetsFastApiJsonInvalid() {
        HttpResponse<byte[]> response = http.post(TTS, "{\"text\": \"hi\",");

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = SimHttp.json(response).get("detail").get(0);
        assertThat(error.get("type").asText()).isEqualTo("json_invalid");
        assertThat(error.get("loc").get(0).asText()).isEqualTo("body");
        assertThat(error.get("msg").asText()).isEqualTo("JSON decode error");
    }

    @Test
    void wrongTypesAreListedPerField() {
        HttpResponse<byte[]> response = http.post(TTS + "?optimize_streaming_latency=fast",
                "{\"text\": 42, \"model_id\": \"eleven_flash_v2_5\", \"voice_settings\": {\"speed\": 3}}");

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode detail = SimHttp.json(response).get("detail");
        assertThat(detail).hasSize(3);
        assertThat(detail.get(0).get("type").asText()).isEqualTo("string_type");
        assertThat(detail.get(0).get("loc").toString()).isEqualTo("[\"body\",\"text\"]");
        assertThat(detail.get(0).get("input").asInt()).isEqualTo(42);
        assertThat(detail.get(1).get("type").asText()).isEqualTo("less_than_equal");
        assertThat(detail.get(1).get("loc").toString()).isEqualTo("[\"body\",\"voice_settings\",\"speed\"]");
        assertThat(detail.get(2).get("type").asText()).isEqualTo("int_parsing");
        assertThat(detail.get(2).get("loc").toString()).isEqualTo("[\"query\",\"optimize_streaming_latency\"]");
    }

    @Test
    void missingTextIsFieldRequired() {
        HttpResponse<byte[]> response = http.post(TTS, "{\"model_id\": \"eleven_flash_v2_5\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = SimHttp.json(response).get("detail").get(0);
        assertThat(error.get("type").asText()).isEqualTo("missing");
        assertThat(error.get("loc").toString()).isEqualTo("[\"body\",\"text\"]");
        assertThat(error.get("msg").asText()).isEqualTo("Field required");
    }

    @Test
    void bodyThatIsNotAnObjectIsRejected() {
        HttpResponse<byte[]> response = http.post(TTS, "[1, 2]");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(SimHttp.json(response).get("detail").get(0).get("type").asText())
                .isEqualTo("model_attributes_type");
    }

    @Test
    void unknownVoiceIsVoiceNotFound() {
        HttpResponse<byte[]> response = http.post("/v1/text-to-speech/no-such-voice", SimHttp.tts("hi", null));

        assertApiError(response, 400, "voice_not_found");
        assertThat(detail(response).get("message").asText()).contains("no-such-voice");
    }

    @Test
    void unknownModelIsRejected() {
        assertApiError(http.post(TTS, SimHttp.tts("hi", "eleven_nonexistent")), 400, "model_not_found");
        assertApiError(http.post(TTS, SimHttp.tts("hi", "scribe_v1")), 400, "invalid_model");
    }

    @Test
    void textOverTheModelLimitIsRejected() {
        HttpResponse<byte[]> tooLong = sendLong("x".repeat(5_001));
        assertApiError(tooLong, 400, "max_character_limit_exceeded");
        assertThat(detail(tooLong).get("message").asText()).contains("5001").contains("5000");
    }

    @Test
    void oversizedBodyIsPayloadTooLarge() {
        HttpResponse<byte[]> response = http.post(TTS, SimHttp.tts("y".repeat(5_000), null));

        assertApiError(response, 413, "payload_too_large");
    }

    @Test
    void unknownPathIsNotFoundInTheErrorShape() {
        HttpResponse<byte[]> response = http.get("/v1/no-such-endpoint");

        assertApiError(response, 404, "not_found");
        assertApiError(http.get(TTS), 405, "method_not_allowed");
    }

    @Test
    void missingKeyAndInvalidKeyAreUnauthorized() {
        HttpResponse<byte[]> missing = http.send(http.request(TTS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SimHttp.tts("hi", null))).build());
        HttpResponse<byte[]> invalid = http.send(http.request("/v1/models").header("xi-api-key", "wrong").build());

        assertApiError(missing, 401, "needs_authorization");
        assertApiError(invalid, 401, "invalid_api_key");
        assertThat(detail(invalid).get("message").asText()).isEqualTo("Invalid API key");
    }

    @Test
    void exhaustedQuotaGivesQuotaExceeded() {
        HttpResponse<byte[]> first = sendAs("other-key", "z".repeat(90));
        HttpResponse<byte[]> second = sendAs("other-key", "z".repeat(20));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("character-cost")).contains("90");
        assertApiError(second, 401, "quota_exceeded");
        assertThat(detail(second).get("message").asText()).isEqualTo("This request exceeds your quota of 100. You "
                + "have 10 credits remaining, while 20 credits are required for this request.");
        JsonNode subscription = SimHttp.json(http.send(http.request("/v1/user/subscription")
                .header("xi-api-key", "other-key").build()));
        assertThat(subscription.get("character_count").asLong()).isEqualTo(90);
        assertThat(subscription.get("character_limit").asLong()).isEqualTo(100);
        // The slot is given back just after the last byte is written: the client can get there first.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> sim.stats().family(ModelFamily.MULTILINGUAL).currentConcurrency() == 0);
    }

    @Test
    void missingSpeechToTextModelIsFieldRequired() {
        HttpResponse<byte[]> response = http.send(http.request("/v1/speech-to-text").header("xi-api-key", SimHttp.KEY)
                .header("Content-Type", "multipart/form-data; boundary=b1")
                .POST(HttpRequest.BodyPublishers.ofString("--b1\r\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename=\"a.wav\"\r\n\r\nabc\r\n--b1--\r\n")).build());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(SimHttp.json(response).get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"model_id\"]");
    }

    private HttpResponse<byte[]> sendLong(String text) {
        try (Simulator big = Simulator.start(SimulatorConfig.builder().latencyScale(0).build())) {
            return new SimHttp(big).post(TTS, SimHttp.tts(text, "eleven_v3"));
        }
    }

    private HttpResponse<byte[]> sendAs(String key, String text) {
        return http.send(http.request(TTS).header("xi-api-key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SimHttp.tts(text, "eleven_multilingual_v2"))).build());
    }

    private static JsonNode detail(HttpResponse<byte[]> response) {
        return SimHttp.json(response).get("detail");
    }

    private static void assertApiError(HttpResponse<byte[]> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode detail = detail(response);
        assertThat(detail.get("status").asText()).isEqualTo(code);
        assertThat(detail.get("code").asText()).isEqualTo(code);
        assertThat(detail.get("message").asText()).isNotBlank();
        assertThat(detail.get("type").asText()).isNotBlank();
        assertThat(detail.get("request_id").asText()).isEqualTo(response.headers().firstValue("x-trace-id").orElse(""));
        assertThat(response.headers().firstValue("request-id")).isPresent();
    }
}
