package dev.xigate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.gateway.config.ClientSettings;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.gateway.proxy.ExchangeRecord;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.plan.ModelFamily;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayTest {
    private static final String WEB_KEY = "web-client-key";
    private static final String BATCH_KEY = "batch-client-key";
    private static final String TTS_BODY = "{\"text\":\"hello there\",\"model_id\":\"eleven_multilingual_v2\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<ExchangeRecord> records = new CopyOnWriteArrayList<>();
    private StubUpstream upstream;
    private TestLimiter limiter;
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private void start(int limit, int queueCapacity, long maxBodyBytes) {
        upstream = StubUpstream.start();
        closeables.add(upstream);
        limiter = new TestLimiter(limit, queueCapacity);
        GatewayConfig config = GatewayConfig.ofDefaults()
                .withServer(new ServerSettings("127.0.0.1", 0, 0, maxBodyBytes, Duration.ofSeconds(5)))
                .withUpstream(UpstreamSettings.ofDefaults().withUrl(upstream.url()))
                .withClients(List.of(
                        ClientSettings.of("web", KeyHashes.sha256Hex(WEB_KEY), "normal", "high"),
                        ClientSettings.of("batch", KeyHashes.sha256Hex(BATCH_KEY), "low", "normal")));
        gateway = Gateway.builder(config).limiter(limiter).apiKey("real-upstream-key").addListener(records::add)
                .start();
        closeables.add(gateway);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("xi-api-key", WEB_KEY);
    }

    private HttpResponse<byte[]> post(String path, String body) throws IOException, InterruptedException {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode detail(HttpResponse<byte[]> response) throws IOException {
        return JSON.readTree(response.body()).path("detail");
    }

    @Test
    void proxiesSpeechAndReplacesTheClientKeyWithTheRealOne() throws Exception {
        start(2, 10, 10_000);
        HttpResponse<byte[]> response = post("/v1/text-to-speech/voice1/stream?output_format=mp3_44100_128",
                TTS_BODY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(3 * StubUpstream.CHUNK_BYTES);
        assertThat(response.headers().firstValue("request-id")).contains("upstream-id");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        assertThat(response.headers().firstValue("x-xigate-queue-wait-ms")).isPresent();
        assertThat(upstream.seenHeaders().get(0)).containsEntry("xi-api-key", "real-upstream-key");
        assertThat(limiter.outstanding()).isZero();
        assertThat(limiter.headers()).anySatisfy(pair -> assertThat(pair).containsExactly(1, 10));
    }

    @Test
    void reusesTheClientsRequestId() throws Exception {
        start(2, 10, 10_000);
        HttpResponse<byte[]> response = http.send(request("/v1/models").header("x-request-id", "abc-123").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id")).contains("abc-123");
        assertThat(limiter.requests()).as("metadata needs no permit").isEmpty();
    }

    @Test
    void streamsTheFirstChunkBeforeTheUpstreamHasFinished() throws Exception {
        start(2, 10, 10_000);
        upstream.holdAfterFirstChunk(true);
        HttpResponse<InputStream> response = http.send(request("/v1/text-to-speech/v/stream")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(StubUpstream.CHUNK_BYTES);
            assertThat(first).hasSize(StubUpstream.CHUNK_BYTES);
            assertThat(upstream.active()).as("upstream still generating while the client has audio").isEqualTo(1);
            upstream.release(1);
            assertThat(body.readAllBytes()).hasSize(2 * StubUpstream.CHUNK_BYTES);
        }
        await().until(() -> limiter.outstanding() == 0);
    }

    @Test
    void refusesAnUnknownKeyWith401AndReachesNothingUpstream() throws Exception {
        start(2, 10, 10_000);
        HttpResponse<byte[]> response = http.send(request("/v1/text-to-speech/v")
                .setHeader("xi-api-key", "wrong").POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(detail(response).path("status").asText()).isEqualTo("invalid_api_key");
        assertThat(detail(response).path("request_id").asText())
                .isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void answers404ForPathsOutsideTheAllowlist() throws Exception {
        start(2, 10, 10_000);
        for (String path : List.of("/v1/workspace/secrets", "/admin", "/v1/text-to-speech/../user", "/")) {
            HttpResponse<byte[]> response = http.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(detail(response).path("status").asText()).isEqualTo("not_found");
            assertThat(detail(response).path("request_id").asText()).isNotEmpty();
        }
        HttpResponse<byte[]> wrongMethod = http.send(request("/v1/models").DELETE().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(wrongMethod.statusCode()).isEqualTo(404);
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void answers413ForABodyOverTheLimit() throws Exception {
        start(2, 10, 100);
        HttpResponse<byte[]> response = post("/v1/text-to-speech/v", "{\"text\":\"" + "x".repeat(200) + "\"}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(detail(response).path("status").asText()).isEqualTo("payload_too_large");
        assertThat(upstream.requests()).isZero();
        assertThat(limiter.requests()).isEmpty();
    }

    @Test
    void answers400ForMalformedJsonOnAModelRoute() throws Exception {
        start(2, 10, 10_000);
        HttpResponse<byte[]> response = post("/v1/text-to-speech/v", "{\"text\": oops");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(detail(response).path("status").asText()).isEqualTo("invalid_request_body");
        assertThat(detail(response).path("request_id").asText()).isNotEmpty();
        HttpResponse<byte[]> notAString = post("/v1/text-to-speech/v", "{\"text\":\"a\",\"model_id\":5}");
        assertThat(notAString.statusCode()).isEqualTo(400);
        assertThat(detail(notAString).path("param").asText()).isEqualTo("model_id");
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void answers400ForABadPriorityHeader() throws Exception {
        start(2, 10, 10_000);
        HttpResponse<byte[]> response = http.send(request("/v1/text-to-speech/v").header("x-xigate-priority", "9")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(detail(response).path("param").asText()).isEqualTo("x-xigate-priority");
    }

    @Test
    void placesRequestsByModelFamilyAndCapsPriorityToTheClientsMaximum() throws Exception {
        start(2, 10, 10_000);
        http.send(request("/v1/text-to-speech/v").header("x-xigate-priority", "high").POST(
                HttpRequest.BodyPublishers.ofString("{\"text\":\"hey\",\"model_id\":\"eleven_flash_v2_5\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        http.send(request("/v1/text-to-speech/v").setHeader("xi-api-key", BATCH_KEY).header("x-xigate-priority", "high")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hey\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        http.send(request("/v1/text-to-speech/v").setHeader("xi-api-key", BATCH_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hey\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        List<AdmissionRequest> seen = limiter.requests();
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0).family()).isEqualTo(ModelFamily.TURBO_FLASH);
        assertThat(seen.get(0).priority()).isZero();
        assertThat(seen.get(0).clientName()).isEqualTo("web");
        assertThat(seen.get(0).characters()).isEqualTo(3);
        assertThat(seen.get(1).family()).as("default model").isEqualTo(ModelFamily.MULTILINGUAL);
        assertThat(seen.get(1).priority()).as("batch may ask for normal at most").isEqualTo(1);
        assertThat(seen.get(2).priority()).as("batch's default").isEqualTo(2);
    }

    @Test
    void absorbsUpstreamConcurrencyRejectionsByRequeueing() throws Exception {
        start(4, 100, 10_000);
        upstream.rejectAbove(2).holdAfterFirstChunk(false);
        List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(http.sendAsync(request("/v1/text-to-speech/v").POST(HttpRequest.BodyPublishers.ofString(
                    TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> call : calls) {
            HttpResponse<byte[]> response = call.join();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).hasSize(3 * StubUpstream.CHUNK_BYTES);
        }
        assertThat(limiter.concurrencyRejections()).isEqualTo(upstream.rejected());
        await().until(() -> limiter.outstanding() == 0);
    }

    @Test
    void rejectsWhenTheQueueIsFullWithRetryAfterAndReason() throws Exception {
        start(1, 0, 10_000);
        upstream.holdAfterFirstChunk(true);
        CompletableFuture<HttpResponse<byte[]>> first = http.sendAsync(request("/v1/text-to-speech/v")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().until(() -> upstream.active() == 1);
        HttpResponse<byte[]> second = post("/v1/text-to-speech/v", TTS_BODY);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("retry-after")).contains("2");
        assertThat(second.headers().firstValue("x-xigate-reject-reason")).contains("queue_full");
        assertThat(second.headers().firstValue("x-xigate-queue-wait-ms")).isPresent();
        assertThat(second.headers().firstValue("x-request-id")).isPresent();
        assertThat(detail(second).path("status").asText()).isEqualTo("queue_full");
        // The same reason reaches the exchange record, from which the access log and the error metric are made.
        String requestId = second.headers().firstValue("x-request-id").orElseThrow();
        await().until(() -> records.stream().anyMatch(r -> r.requestId().equals(requestId)));
        assertThat(records).filteredOn(r -> r.requestId().equals(requestId)).singleElement()
                .satisfies(r -> assertThat(r.stageHeaders()).containsEntry("x-xigate-reject-reason", "queue_full"));
        upstream.release(1);
        assertThat(first.join().statusCode()).isEqualTo(200);
        await().until(() -> limiter.outstanding() == 0);
    }

    @Test
    void aClientThatDisconnectsWhileQueuedLeavesTheQueueAndNeverReachesUpstream() throws Exception {
        start(1, 10, 10_000);
        upstream.holdAfterFirstChunk(true);
        CompletableFuture<HttpResponse<byte[]>> first = http.sendAsync(request("/v1/text-to-speech/v")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().until(() -> upstream.active() == 1);
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            byte[] body = TTS_BODY.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/text-to-speech/v HTTP/1.1\r\nHost: x\r\nxi-api-key: " + WEB_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().until(() -> limiter.queued() == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.cancelled() == 1);
        assertThat(limiter.queued()).isZero();
        upstream.release(1);
        assertThat(first.join().statusCode()).isEqualTo(200);
        await().until(() -> limiter.outstanding() == 0);
        assertThat(upstream.requests()).as("the departed client's request never went upstream").isEqualTo(1);
    }

    @Test
    void aQueuedRequestIsServedOnceASlotFrees() throws Exception {
        start(1, 10, 10_000);
        upstream.holdAfterFirstChunk(true);
        CompletableFuture<HttpResponse<byte[]>> first = http.sendAsync(request("/v1/text-to-speech/v")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().until(() -> upstream.active() == 1);
        CompletableFuture<HttpResponse<byte[]>> second = http.sendAsync(request("/v1/text-to-speech/v")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().until(() -> limiter.queued() == 1);
        Thread.sleep(300);
        upstream.release(2);
        assertThat(first.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> served = second.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).hasSize(3 * StubUpstream.CHUNK_BYTES);
    }

    @Test
    void releasesEveryPermitAfterErrorsAndDisconnects() throws Exception {
        start(2, 10, 10_000);
        // an upstream 500 on a generation route
        HttpResponse<byte[]> failed = post("/v1/sound-generation", "{\"text\":\"boom\"}");
        assertThat(failed.statusCode()).isEqualTo(500);
        // a client that goes away mid-stream
        upstream.holdAfterFirstChunk(true).chunks(50);
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            byte[] body = TTS_BODY.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/text-to-speech/v/stream HTTP/1.1\r\nHost: x\r\nxi-api-key: " + WEB_KEY
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isNotNegative();
        }
        upstream.release(1);
        // an upstream that breaks off mid-body
        upstream.holdAfterFirstChunk(false).chunks(3).breakAfterFirstChunk(true);
        assertThatThrownBy(() -> post("/v1/text-to-speech/v/stream", TTS_BODY)).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.outstanding() == 0 && limiter.inFlight() == 0);
    }

    @Test
    void answers502WhenTheUpstreamIsDownAndReleasesThePermit() throws Exception {
        start(2, 10, 10_000);
        upstream.close();
        HttpResponse<byte[]> response = post("/v1/text-to-speech/v", TTS_BODY);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(detail(response).path("status").asText()).isEqualTo("upstream_unavailable");
        assertThat(limiter.outstanding()).isZero();
    }

    @Test
    void shutdownLetsInFlightFinishAndRejectsQueuedWith503() throws Exception {
        start(1, 10, 10_000);
        upstream.holdAfterFirstChunk(true);
        CompletableFuture<HttpResponse<byte[]>> running = http.sendAsync(request("/v1/text-to-speech/v")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().until(() -> upstream.active() == 1);
        CompletableFuture<HttpResponse<byte[]>> queued = http.sendAsync(request("/v1/text-to-speech/v")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().until(() -> limiter.queued() == 1);
        // Its own thread: the common pool has one worker on two cores and the HTTP client completes futures there.
        java.util.concurrent.ExecutorService closer = java.util.concurrent.Executors.newSingleThreadExecutor();
        closeables.add(closer::shutdown);
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(gateway::close, closer);
        HttpResponse<byte[]> rejected = queued.join();
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(detail(rejected).path("status").asText()).isEqualTo("shutting_down");
        assertThat(shutdown).isNotDone();
        upstream.release(1);
        HttpResponse<byte[]> finished = running.join();
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).hasSize(3 * StubUpstream.CHUNK_BYTES);
        shutdown.join();
        assertThat(limiter.outstanding()).isZero();
    }

    @Test
    void refusesToStartWithoutClientKeysOnANonLoopbackAddress() {
        upstream = StubUpstream.start();
        closeables.add(upstream);
        GatewayConfig open = GatewayConfig.ofDefaults()
                .withServer(ServerSettings.ofDefaults().withBind("0.0.0.0").withPort(0).withAdminPort(0));
        assertThatThrownBy(() -> Gateway.builder(open).limiter(new TestLimiter(1, 1)).apiKey("k").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no client keys configured");
    }

    @Test
    void acceptsAnyKeyOnLoopbackWhenNoClientKeysAreConfigured() throws Exception {
        upstream = StubUpstream.start();
        closeables.add(upstream);
        GatewayConfig open = GatewayConfig.ofDefaults()
                .withServer(ServerSettings.ofDefaults().withPort(0).withAdminPort(0))
                .withUpstream(UpstreamSettings.ofDefaults().withUrl(upstream.url()));
        gateway = Gateway.builder(open).limiter(new TestLimiter(1, 1)).apiKey("k").start();
        closeables.add(gateway);
        HttpResponse<byte[]> response = http.send(request("/v1/models").setHeader("xi-api-key", "anything").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void servesLivenessOnTheAdminPort() throws Exception {
        start(1, 1, 1000);
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.adminPort() + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("UP");
    }
}
