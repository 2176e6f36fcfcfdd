package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xigate.plan.ModelFamily;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingTest {
    private static final String TTS = "/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID;
    private Simulator sim;
    private SimHttp http;

    @BeforeEach
    void start() {
        // Flash: 50 ms to the first byte, 4 ms per character, no jitter; real pacing, short enough for a test.
        sim = Simulator.start(SimulatorConfig.builder()
                .latency(ModelFamily.TURBO_FLASH, new LatencyProfile(Duration.ofMillis(50), Duration.ofMillis(4), 0))
                .build());
        http = new SimHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void streamArrivesInSeveralChunksWhileGenerating() throws Exception {
        HttpResponse<InputStream> response = http.client().send(request(TTS + "/stream", "word ".repeat(60)),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("audio/mpeg");
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.headers().firstValue("character-cost")).contains("150");
        int reads = 0;
        long total = 0;
        byte[] buffer = new byte[65_536];
        try (InputStream body = response.body()) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                reads++;
                total += n;
            }
        }
        assertThat(reads).isGreaterThan(3);
        assertThat(total).isEqualTo(expectedMp3Bytes(60 * 5));
    }

    @Test
    void withTimestampsAlignsEveryCharacter() {
        String text = "Hello, world!";
        HttpResponse<byte[]> response = http.send(request(TTS + "/with-timestamps", text));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = SimHttp.json(response);
        byte[] audio = Base64.getDecoder().decode(body.get("audio_base64").asText());
        assertThat(audio[0] & 0xFF).isEqualTo(0xFF);
        JsonNode alignment = body.get("alignment");
        assertThat(alignment.get("characters")).hasSize(text.length());
        assertThat(joined(alignment.get("characters"))).isEqualTo(text);
        assertConsistent(alignment);
        assertThat(body.get("normalized_alignment").get("characters")).hasSize(text.length());
    }

    @Test
    void streamWithTimestampsSendsOneJsonObjectPerLine() throws Exception {
        String text = "This sentence is streamed with its timestamps, line by line.";
        HttpResponse<InputStream> response = http.client().send(request(TTS + "/stream/with-timestamps", text),
                HttpResponse.BodyHandlers.ofInputStream());

        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(SimHttp.JSON.readTree(line));
            }
        }
        assertThat(lines).hasSizeGreaterThan(1);
        StringBuilder characters = new StringBuilder();
        double lastEnd = 0;
        for (JsonNode line : lines) {
            assertThat(Base64.getDecoder().decode(line.get("audio_base64").asText())[0] & 0xFF).isEqualTo(0xFF);
            JsonNode alignment = line.get("alignment");
            assertConsistent(alignment);
            if (!alignment.get("characters").isEmpty()) {
                assertThat(alignment.get("character_start_times_seconds").get(0).asDouble()).isEqualTo(lastEnd);
                lastEnd = alignment.get("character_end_times_seconds")
                        .get(alignment.get("characters").size() - 1).asDouble();
            }
            characters.append(joined(alignment.get("characters")));
        }
        assertThat(characters.toString()).isEqualTo(text);
    }

    private static void assertConsistent(JsonNode alignment) {
        JsonNode starts = alignment.get("character_start_times_seconds");
        JsonNode ends = alignment.get("character_end_times_seconds");
        assertThat(starts).hasSameSizeAs(alignment.get("characters"));
        assertThat(ends).hasSameSizeAs(alignment.get("characters"));
        for (int i = 0; i < starts.size(); i++) {
            assertThat(ends.get(i).asDouble()).isGreaterThan(starts.get(i).asDouble());
            if (i > 0) {
                assertThat(starts.get(i).asDouble()).isEqualTo(ends.get(i - 1).asDouble());
            }
        }
    }

    private static String joined(JsonNode characters) {
        StringBuilder out = new StringBuilder();
        characters.forEach(c -> out.append(c.asText()));
        return out.toString();
    }

    private static long expectedMp3Bytes(int characters) {
        long millis = 300 + 65L * characters;
        long frames = (millis * 44_100 + 1_152_000 - 1) / 1_152_000;
        return frames * 144 * 128_000 / 44_100;
    }

    private HttpRequest request(String path, String text) {
        return http.request(path).header("xi-api-key", SimHttp.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SimHttp.tts(text, "eleven_flash_v2_5"))).build();
    }
}
