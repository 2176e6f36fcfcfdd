package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xigate.plan.ModelFamily;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OtherEndpointsTest {
    private static Simulator sim;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimulatorConfig.builder().latencyScale(0).build());
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void voicesAreListedPagedAndFoundById() {
        JsonNode list = SimHttp.json(http.get("/v1/voices"));
        JsonNode page = SimHttp.json(http.get("/v2/voices?page_size=3"));
        JsonNode next = SimHttp.json(http.get("/v2/voices?page_size=3&next_page_token="
                + page.get("next_page_token").asText()));
        HttpResponse<byte[]> one = http.get("/v1/voices/" + Simulator.DEFAULT_VOICE_ID);
        HttpResponse<byte[]> missing = http.get("/v1/voices/unknown");

        assertThat(list.get("voices")).hasSize(8);
        assertThat(page.get("voices")).hasSize(3);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        assertThat(next.get("voices").get(0).get("voice_id").asText())
                .isEqualTo(list.get("voices").get(3).get("voice_id").asText());
        assertThat(SimHttp.json(one).get("name").asText()).isEqualTo("Rachel");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(SimHttp.json(missing).get("detail").get("status").asText()).isEqualTo("voice_not_found");
    }

    @Test
    void modelsCarryTheirConcurrencyGroup() {
        JsonNode models = SimHttp.json(http.get("/v1/models"));

        assertThat(models.isArray()).isTrue();
        assertThat(models).anySatisfy(model -> {
            assertThat(model.get("model_id").asText()).isEqualTo("eleven_flash_v2_5");
            assertThat(model.get("concurrency_group").asText()).isEqualTo("turbo");
            assertThat(model.get("model_rates").get("character_cost_multiplier").asDouble()).isEqualTo(0.5);
        });
    }

    @Test
    void userShowsTheSubscription() {
        JsonNode user = SimHttp.json(http.get("/v1/user"));

        assertThat(user.get("subscription").get("tier").asText()).isEqualTo("pro");
        assertThat(user.get("subscription").get("character_limit").asLong()).isEqualTo(500_000);
        assertThat(user.get("subscription").get("next_character_count_reset_unix").asLong()).isPositive();
    }

    @Test
    void soundGenerationSendsOnlyCharacterCost() {
        HttpResponse<byte[]> response = http.post("/v1/sound-generation",
                "{\"text\": \"a door slams\", \"duration_seconds\": 2}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("character-cost")).contains("11");
        assertThat(response.headers().firstValue("current-concurrent-requests")).isEmpty();
        assertThat(response.headers().firstValue("maximum-concurrent-requests")).isEmpty();
        assertThat(response.body()[0] & 0xFF).isEqualTo(0xFF);
        assertThat(sim.stats().family(ModelFamily.DEFAULT).responses(200)).isPositive();
    }

    @Test
    void musicAnswersWithASongId() {
        HttpResponse<byte[]> whole = http.post("/v1/music", "{\"prompt\": \"calm piano\", \"music_length_ms\": 3000}");
        HttpResponse<byte[]> both = http.post("/v1/music/stream", "{\"prompt\": \"x\", \"composition_plan\": {}}");

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("song-id")).isPresent();
        assertThat(whole.headers().firstValue("Content-Type")).contains("audio/mpeg");
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(SimHttp.json(both).get("detail").get("status").asText()).isEqualTo("invalid_parameters");
    }

    @Test
    void transcriptLengthFollowsTheAudio() {
        byte[] fourSeconds = http.post("/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID + "?output_format=wav_16000",
                SimHttp.tts("x".repeat(57), "eleven_flash_v2_5")).body();

        HttpResponse<byte[]> response = http.send(multipart("scribe_v1", fourSeconds));
        HttpResponse<byte[]> noFile = http.send(multipart("scribe_v1", null));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode transcript = SimHttp.json(response);
        assertThat(transcript.get("audio_duration_secs").asDouble()).isEqualTo(4.005);
        assertThat(transcript.get("text").asText().split(" ")).hasSize(10);
        assertThat(transcript.get("words").get(0).get("type").asText()).isEqualTo("word");
        assertThat(noFile.statusCode()).isEqualTo(400);
    }

    @Test
    void malformedHttpGetsTheErrorShape() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sim.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("NOT A REQUEST\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).contains("\"status\":\"invalid_request\"").contains("x-trace-id");
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4_096];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            if (out.toString(StandardCharsets.UTF_8).contains("}}")) {
                break;
            }
        }
        return out.toByteArray();
    }

    private static HttpRequest multipart(String model, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String boundary = "sim-boundary";
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model_id\"\r\n\r\n" + model
                + "\r\n").getBytes(StandardCharsets.UTF_8));
        if (file != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\""
                    + "\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.request("/v1/speech-to-text").header("xi-api-key", SimHttp.KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }
}
