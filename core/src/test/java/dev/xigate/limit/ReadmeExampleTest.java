package dev.xigate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process example of the README and docs/limits.md, compiled and run against a stub upstream on loopback.
 * The code between the {@code README:begin} and {@code README:end} markers is copied verbatim.
 */
class ReadmeExampleTest {
    private HttpServer upstream;
    private URI endpoint;
    private final List<String> receivedBodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startStubUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/v1/text-to-speech/voice/stream", exchange -> {
            receivedBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("content-type", "audio/mpeg");
            exchange.getResponseHeaders().add("current-concurrent-requests", "1");
            exchange.getResponseHeaders().add("maximum-concurrent-requests", "12");
            byte[] audio = "ID3-fake-audio".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, audio.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(audio);
            }
        });
        upstream.start();
        endpoint = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()
                + "/v1/text-to-speech/voice/stream");
    }

    @AfterEach
    void stopStubUpstream() {
        upstream.stop(0);
    }

    @Test
    void wrapsOwnHttpCallsInPermits() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        PoolSnapshot pool = example(http, endpoint);

        assertThat(pool.limit()).isEqualTo(12);
        assertThat(pool.configuredLimit()).isEqualTo(10);
        assertThat(pool.inFlight()).isZero();
        assertThat(receivedBodies)
                .containsExactly("{\"text\":\"Hello from xigate\",\"model_id\":\"eleven_flash_v2_5\"}");
    }

    // README:begin
    /** Creates one limiter for the application and sends one text-to-speech request through it. */
    static PoolSnapshot example(HttpClient http, URI endpoint) throws IOException, InterruptedException {
        // One limiter per application: pools sized from your plan, 100 queued per family, 30 s maximum wait.
        try (Limiter limiter = Limiter.inMemory(LimiterConfig.forPlan(PlanTier.CREATOR))) {
            String apiKey = System.getenv().getOrDefault("ELEVENLABS_API_KEY", "test-key");
            byte[] audio = speak(limiter, http, endpoint, apiKey, "Hello from xigate");
            System.out.println("received " + audio.length + " bytes of audio");
            // The upstream answered maximum-concurrent-requests: 12, so the Turbo/Flash pool grew from 10 to 12.
            return limiter.snapshot(ModelFamily.TURBO_FLASH);
        }
    }

    static byte[] speak(Limiter limiter, HttpClient http, URI endpoint, String apiKey, String text)
            throws IOException, InterruptedException {
        AdmissionRequest request = AdmissionRequest.builder(ModelFamily.TURBO_FLASH)
                .priority(0).clientName("newsroom").characters(text.length()).requestId("req-1").build();
        return switch (limiter.acquire(request)) {
            case Admission.Granted granted -> {
                try (Permit permit = granted.permit()) {
                    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(endpoint)
                            .header("xi-api-key", apiKey).header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"text\":\"" + text + "\",\"model_id\":\"eleven_flash_v2_5\"}"))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    // Feed the answer back: the pool follows the account's real limit.
                    permit.onUpstreamHeaders(intHeader(response, "current-concurrent-requests"),
                            intHeader(response, "maximum-concurrent-requests"));
                    if (response.statusCode() == 429) {
                        permit.onUpstreamConcurrencyRejected();
                    }
                    yield response.body();
                }
            }
            case Admission.Rejected rejected -> throw new IOException(rejected.reason().status() + ": "
                    + rejected.message() + " (retry after " + rejected.retryAfter().toSeconds() + " s)");
        };
    }

    static int intHeader(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).map(Integer::parseInt).orElse(-1);
    }
    // README:end
}
