package dev.xigate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway over each upstream client, against a loopback upstream that writes its answers byte by byte: a short
 * body keeps its length, a body cut short before its declared length is a clean 502, and the JDK client can still
 * be chosen by configuration.
 */
class UpstreamClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODELS = "[{\"model_id\":\"eleven_multilingual_v2\"}]";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket upstream;
    private Gateway gateway;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void shortAnswerKeepsItsLengthAndTheConnectionIsReused() throws Exception {
        start(UpstreamSettings.HTTP1_CLIENT, Map.of("/v1/models", MODELS));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = get("/v1/models");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(MODELS);
            assertThat(response.headers().firstValue("content-length")).contains(String.valueOf(MODELS.length()));
            assertThat(response.headers().firstValue("transfer-encoding")).isEmpty();
        }
        assertThat(connections).as("one kept-alive upstream connection").hasValue(1);
    }

    @Test
    void bodyCutShortBeforeItsDeclaredLengthIsA502InTheErrorShape() throws Exception {
        start(UpstreamSettings.HTTP1_CLIENT, Map.of());
        HttpResponse<String> response = get("/v1/voices");
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode detail = JSON.readTree(response.body()).path("detail");
        assertThat(detail.path("status").asText()).isEqualTo("upstream_unavailable");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        assertThat(detail.path("request_id").asText()).isEqualTo(response.headers().firstValue("x-request-id")
                .orElseThrow());
    }

    @Test
    void jdkClientCanStillBeChosen() throws Exception {
        start(UpstreamSettings.JDK_CLIENT, Map.of("/v1/models", MODELS));
        HttpResponse<String> response = get("/v1/models");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(MODELS);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("xi-api-key", "any").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Starts an upstream answering the given paths in full and every other path with a body cut short. */
    private void start(String client, Map<String, String> answers) throws IOException {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!upstream.isClosed()) {
                try {
                    Socket socket = upstream.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(socket, answers));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        GatewayConfig config = GatewayConfig.ofDefaults()
                .withServer(ServerSettings.ofDefaults().withPort(0).withAdminPort(0))
                .withUpstream(UpstreamSettings.ofDefaults().withUrl("http://127.0.0.1:" + upstream.getLocalPort())
                        .withHttpClient(client));
        gateway = Gateway.builder(config).limiter(LimiterFactory.inMemory(config)).apiKey("upstream-key")
                .accessLog(false).start();
    }

    private static void serve(Socket socket, Map<String, String> answers) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.ISO_8859_1))) {
            OutputStream out = socket.getOutputStream();
            String requestLine;
            while ((requestLine = in.readLine()) != null) {
                String line;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    // GET requests only: no body to skip
                }
                String path = requestLine.split(" ")[1];
                String body = answers.get(path);
                if (body == null) {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                            + "{\"voices\":").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return;
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // the gateway closed the connection; nothing to do
        }
    }
}
