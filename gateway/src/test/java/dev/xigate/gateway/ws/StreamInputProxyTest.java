package dev.xigate.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.xigate.gateway.Gateway;
import dev.xigate.gateway.StubUpstream;
import dev.xigate.gateway.TestLimiter;
import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.gateway.config.ClientSettings;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.plan.ModelFamily;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamInputProxyTest {
    private static final String KEY = "ws-client-key";

    private StubUpstream upstream;
    private TestLimiter limiter;
    private Gateway gateway;

    @BeforeEach
    void start() {
        upstream = StubUpstream.start();
        limiter = new TestLimiter(1, 10);
        GatewayConfig config = GatewayConfig.ofDefaults()
                .withServer(ServerSettings.ofDefaults().withPort(0).withAdminPort(0))
                .withUpstream(UpstreamSettings.ofDefaults().withUrl(upstream.url()))
                .withClients(List.of(ClientSettings.of("app", KeyHashes.sha256Hex(KEY), "normal", "high")));
        gateway = Gateway.builder(config).limiter(limiter).apiKey("real-key").start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private CompletableFuture<WebSocket> connect(String key, Recorder recorder) {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("xi-api-key", key)
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port()
                        + "/v1/text-to-speech/voice1/stream-input?model_id=eleven_flash_v2_5"), recorder);
    }

    @Test
    void relaysMessagesBothWaysAndHoldsAPermitForTheConnectionsLife() {
        Recorder recorder = new Recorder();
        WebSocket socket = connect(KEY, recorder).join();
        await().until(() -> upstream.openWebSockets() == 1);
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.requests().get(0).family()).isEqualTo(ModelFamily.TURBO_FLASH);
        socket.sendText("{\"text\":\"Hello \"}", true).join();
        await().until(() -> recorder.messages.size() == 1);
        assertThat(recorder.messages.get(0)).contains("\"audio\"");
        socket.sendText("{\"text\":\"\"}", true).join();
        await().until(() -> recorder.messages.contains("{\"isFinal\":true}"));
        await().until(() -> recorder.closed.isDone());
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.inFlight() == 0 && limiter.outstanding() == 0);
        assertThat(upstream.seenHeaders()).isEmpty();
    }

    @Test
    void releasesThePermitWhenTheClientCloses() {
        WebSocket socket = connect(KEY, new Recorder()).join();
        await().until(() -> upstream.openWebSockets() == 1);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.outstanding() == 0);
        await().until(() -> upstream.openWebSockets() == 0);
    }

    @Test
    void refusesAnUnknownKeyAtTheUpgrade() {
        assertThatThrownBy(() -> connect("wrong", new Recorder()).join()).hasCauseInstanceOf(
                java.net.http.WebSocketHandshakeException.class);
        assertThat(limiter.requests()).isEmpty();
        assertThat(upstream.openWebSockets()).isZero();
    }

    @Test
    void refusedUpgradesGetTheErrorShapeWithTheRequestId() throws Exception {
        String unknownKey = rawUpgrade("xi-api-key: wrong\r\nx-request-id: ws-req-1\r\n");
        assertThat(unknownKey).startsWith("HTTP/1.1 401");
        assertThat(unknownKey.toLowerCase(Locale.ROOT)).contains("x-request-id: ws-req-1");
        assertThat(unknownKey).contains("\"status\":\"invalid_api_key\"").contains("ws-req-1");

        String badPriority = rawUpgrade("xi-api-key: " + KEY + "\r\nx-xigate-priority: urgent\r\n");
        assertThat(badPriority).startsWith("HTTP/1.1 400");
        assertThat(badPriority).contains("\"status\":\"invalid_header\"").contains("x-xigate-priority");

        assertThat(limiter.requests()).isEmpty();
        assertThat(upstream.openWebSockets()).isZero();
    }

    /** Sends a WebSocket upgrade request by hand (the JDK client hides the refusal) and returns the whole answer. */
    private String rawUpgrade(String extraHeaders) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /v1/text-to-speech/voice1/stream-input?model_id=eleven_flash_v2_5 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + extraHeaders + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            // Read until the body is in: the error JSON ends with a closing brace.
            while ((n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (answer.toString().trim().endsWith("}")) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    /** Records what the gateway sends to the client. */
    private static final class Recorder implements WebSocket.Listener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }
}
