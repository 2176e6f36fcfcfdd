package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xigate.plan.ModelFamily;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketTest {
    private Simulator sim;

    @BeforeEach
    void start() {
        sim = Simulator.start(SimulatorConfig.builder().latencyScale(0).build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void streamsAudioForTextAndEndsWithIsFinal() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = connect(recorder, "eleven_flash_v2_5", SimHttp.KEY);

        socket.sendText("{\"text\": \" \", \"generation_config\": {\"chunk_length_schedule\": [50]}}", true).join();
        await().atMost(Duration.ofSeconds(5)).until(
                () -> sim.stats().family(ModelFamily.TURBO_FLASH).currentConcurrency() == 1);
        socket.sendText("{\"text\": \"Hello there, this is streamed over a socket. \"}", true).join();
        socket.sendText("{\"text\": \"And a second sentence.\", \"flush\": true}", true).join();
        socket.sendText("{\"text\": \"\"}", true).join();
        recorder.closed.get(10, TimeUnit.SECONDS);

        List<JsonNode> messages = recorder.messages;
        assertThat(messages).hasSizeGreaterThanOrEqualTo(2);
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.get("isFinal").asBoolean()).isTrue();
        StringBuilder chars = new StringBuilder();
        for (JsonNode message : messages.subList(0, messages.size() - 1)) {
            byte[] audio = Base64.getDecoder().decode(message.get("audio").asText());
            assertThat(audio[0] & 0xFF).isEqualTo(0xFF);
            message.get("alignment").get("chars").forEach(c -> chars.append(c.asText()));
            assertThat(message.get("alignment").get("charStartTimesMs")).hasSameSizeAs(
                    message.get("alignment").get("chars"));
            assertThat(message.get("alignment").get("charDurationsMs")).hasSameSizeAs(
                    message.get("alignment").get("chars"));
        }
        assertThat(chars.toString()).isEqualTo("Hello there, this is streamed over a socket. And a second sentence.");
        assertThat(recorder.closeCode).isEqualTo(1000);
        await().atMost(Duration.ofSeconds(5)).until(
                () -> sim.stats().family(ModelFamily.TURBO_FLASH).currentConcurrency() == 0);
        assertThat(sim.stats().family(ModelFamily.TURBO_FLASH).responses(101)).isEqualTo(1);
    }

    @Test
    void sessionOverTheLimitIsClosedWithPolicyViolation() throws Exception {
        sim.chaos(ChaosConfig.builder().limit(ModelFamily.MULTILINGUAL, 1).build());
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        WebSocket holder = connect(first, "eleven_multilingual_v2", SimHttp.KEY);
        await().atMost(Duration.ofSeconds(5)).until(
                () -> sim.stats().family(ModelFamily.MULTILINGUAL).currentConcurrency() == 1);

        connect(second, "eleven_multilingual_v2", SimHttp.KEY);
        second.closed.get(10, TimeUnit.SECONDS);

        assertThat(second.closeCode).isEqualTo(1008);
        assertThat(second.messages.get(0).get("error").asText()).isEqualTo("concurrent_limit_exceeded");
        assertThat(sim.stats().family(ModelFamily.MULTILINGUAL).concurrencyRejections()).isEqualTo(1);
        holder.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        await().atMost(Duration.ofSeconds(5)).until(
                () -> sim.stats().family(ModelFamily.MULTILINGUAL).currentConcurrency() == 0);
    }

    @Test
    void idleSessionIsClosedAfterTheInactivityTimeout() throws Exception {
        Recorder recorder = new Recorder();
        connect(recorder, "eleven_flash_v2_5&inactivity_timeout=1", SimHttp.KEY);

        recorder.closed.get(10, TimeUnit.SECONDS);

        assertThat(recorder.closeCode).isEqualTo(1008);
        assertThat(recorder.messages.get(0).get("error").asText()).isEqualTo("input_timeout_exceeded");
        await().atMost(Duration.ofSeconds(5)).until(
                () -> sim.stats().family(ModelFamily.TURBO_FLASH).currentConcurrency() == 0);
    }

    private WebSocket connect(Recorder recorder, String model, String key) {
        URI uri = URI.create("ws://127.0.0.1:" + sim.port() + "/v1/text-to-speech/" + Simulator.DEFAULT_VOICE_ID
                + "/stream-input?model_id=" + model);
        return HttpClient.newHttpClient().newWebSocketBuilder().header("xi-api-key", key)
                .buildAsync(uri, recorder).join();
    }

    private static final class Recorder implements WebSocket.Listener {
        private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile int closeCode;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(SimHttp.JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    closed.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
