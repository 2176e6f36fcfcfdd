package dev.xigate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.gateway.config.ClientSettings;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.LimitSettings;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.limit.Limiter;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import dev.xigate.simulator.SimulatorStats.FamilyStats;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway with the real in-memory limiter in front of the real simulator, all on loopback. */
class GatewaySimulatorTest {
    private static final String KEY = "gateway-client-key";
    private static final String UPSTREAM_KEY = "upstream-key";
    private static final String VOICE = Simulator.DEFAULT_VOICE_ID;
    private static final String TTS_BODY = "{\"text\":\"Hello world, this is a test.\","
            + "\"model_id\":\"eleven_multilingual_v2\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(clientThreads).build();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Simulator simulator;
    private Limiter limiter;
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        clientThreads.shutdownNow();
    }

    private void start(SimulatorConfig.Builder sim, Map<String, Integer> familyLimits, long maxBodyBytes) {
        simulator = Simulator.start(sim.host("127.0.0.1").port(0).build());
        closeables.add(simulator);
        GatewayConfig config = GatewayConfig.ofDefaults()
                .withPlan("pro")
                .withServer(new ServerSettings("127.0.0.1", 0, 0, maxBodyBytes, Duration.ofSeconds(5)))
                .withUpstream(UpstreamSettings.ofDefaults().withUrl(simulator.baseUri().toString()))
                // 200 concurrent requests against 10 slots need room for 190 in the queue (default 100).
                .withLimits(new LimitSettings(familyLimits, 256, null, null))
                .withClients(List.of(ClientSettings.of("app", KeyHashes.sha256Hex(KEY), "normal", "high")));
        limiter = LimiterFactory.inMemory(config);
        gateway = Gateway.builder(config).limiter(limiter).apiKey(UPSTREAM_KEY).accessLog(false).start();
        closeables.add(gateway);
    }

    private CompletableFuture<HttpResponse<byte[]>> speak(String priority) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/v1/text-to-speech/" + VOICE + "/stream"))
                .header("xi-api-key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TTS_BODY));
        if (priority != null) {
            request.header("x-xigate-priority", priority);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<HttpResponse<byte[]>> burst(int count) {
        List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(speak(null));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    private FamilyStats multilingual() {
        return simulator.stats().family(ModelFamily.MULTILINGUAL);
    }

    @Test
    void proPlanServes200ConcurrentRequestsWithinTenSlotsAndNo429s() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.1), Map.of(), 100_000);
        List<HttpResponse<byte[]>> responses = burst(200);
        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isNotEmpty();
        });
        FamilyStats stats = multilingual();
        System.out.printf("pro burst: 200 requests, simulator max concurrency %d, 429s %d%n",
                stats.maxConcurrency(), stats.concurrencyRejections());
        assertThat(stats.requests()).isEqualTo(200);
        assertThat(stats.maxConcurrency()).isLessThanOrEqualTo(10);
        assertThat(stats.concurrencyRejections()).isZero();
        // The slot is given back just after the last byte is written: the client can get there first.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight() == 0);
    }

    @Test
    void highPriorityWaitsFarLessThanLowPriorityUnderOverload() {
        // The upstream also allows 2: its headers would otherwise raise the pool to the plan's 10 and drain the queue.
        start(SimulatorConfig.builder().plan(PlanTier.PRO).limit(ModelFamily.MULTILINGUAL, 2).latencyScale(0.1),
                Map.of("multilingual", 2), 100_000);
        List<CompletableFuture<HttpResponse<byte[]>>> low = new ArrayList<>();
        List<CompletableFuture<HttpResponse<byte[]>>> high = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            low.add(speak("low"));
        }
        await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).queued() >= 20);
        for (int i = 0; i < 10; i++) {
            high.add(speak("high"));
        }
        double lowWait = meanQueueWaitMillis(low);
        double highWait = meanQueueWaitMillis(high);
        System.out.printf("priority under overload: mean queue wait high %.1f ms, low %.1f ms, ratio low/high %.1f%n",
                highWait, lowWait, lowWait / Math.max(highWait, 1.0));
        assertThat(highWait).isLessThan(lowWait);
        assertThat(low).allSatisfy(call -> assertThat(call.join().statusCode()).isEqualTo(200));
    }

    private static double meanQueueWaitMillis(List<CompletableFuture<HttpResponse<byte[]>>> calls) {
        return calls.stream().map(CompletableFuture::join)
                .peek(response -> assertThat(response.statusCode()).isEqualTo(200))
                .mapToLong(response -> Long.parseLong(response.headers().firstValue("x-xigate-queue-wait-ms")
                        .orElseThrow()))
                .average().orElseThrow();
    }

    @Test
    void discoversAHigherUpstreamLimitFromTheHeaders() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.1), Map.of("multilingual", 5), 100_000);
        for (HttpResponse<byte[]> response : burst(3)) {
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).limit()).isEqualTo(10);
        simulator.resetStats();
        assertThat(burst(60)).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
        System.out.printf("limit discovery up: configured 5, simulator 10, observed max concurrency %d%n",
                multilingual().maxConcurrency());
        assertThat(multilingual().maxConcurrency()).isGreaterThan(5).isLessThanOrEqualTo(10);
        assertThat(multilingual().concurrencyRejections()).isZero();
    }

    @Test
    void learnsALowerUpstreamLimitAfterAFew429sAndFailsNoRequest() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).limit(ModelFamily.MULTILINGUAL, 5).latencyScale(0.1),
                Map.of("multilingual", 10), 100_000);
        assertThat(burst(60)).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
        long learning429s = multilingual().concurrencyRejections();
        System.out.printf("limit discovery down: configured 10, simulator 5, 429s absorbed while learning %d%n",
                learning429s);
        assertThat(learning429s).isLessThanOrEqualTo(10);
        simulator.resetStats();
        assertThat(burst(60)).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
        assertThat(multilingual().concurrencyRejections()).isZero();
        assertThat(multilingual().maxConcurrency()).isLessThanOrEqualTo(5);
    }

    @Test
    void keepsTheAccountUnderItsLimitWhenAnotherClientHoldsThreeSlots() throws Exception {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.1), Map.of(), 100_000);
        try (AutoCloseable other = simulator.holdSlots(UPSTREAM_KEY, ModelFamily.MULTILINGUAL, 3)) {
            assertThat(speak(null).join().statusCode()).isEqualTo(200);
            simulator.resetStats();
            assertThat(burst(60)).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
            FamilyStats stats = multilingual();
            System.out.printf("shared account: other client holds 3 of 10, gateway max concurrency %d, 429s %d%n",
                    stats.maxConcurrency(), stats.concurrencyRejections());
            assertThat(stats.maxConcurrency() + 3).isLessThanOrEqualTo(10);
            // The first answer showed the 3 held slots; the limiter remembers them for its shared usage window, so
            // the burst never runs into the upstream's limit.
            assertThat(stats.concurrencyRejections()).isZero();
        }
    }

    @Test
    void badInputNeverReachesTheUpstream() throws Exception {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.1), Map.of(), 1_000);
        String base = "http://127.0.0.1:" + gateway.port();
        HttpRequest.Builder tts = HttpRequest.newBuilder(URI.create(base + "/v1/text-to-speech/" + VOICE))
                .header("content-type", "application/json");
        assertError(http.send(tts.copy().header("xi-api-key", "unknown").POST(HttpRequest.BodyPublishers.ofString(
                TTS_BODY)).build(), HttpResponse.BodyHandlers.ofByteArray()), 401, "invalid_api_key");
        assertError(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/convai/agents")).header("xi-api-key", KEY)
                .build(), HttpResponse.BodyHandlers.ofByteArray()), 404, "not_found");
        assertError(http.send(tts.copy().header("xi-api-key", KEY).POST(HttpRequest.BodyPublishers.ofString(
                "{\"text\":\"" + "a".repeat(2_000) + "\"}")).build(), HttpResponse.BodyHandlers.ofByteArray()),
                413, "payload_too_large");
        assertError(http.send(tts.copy().header("xi-api-key", KEY).POST(HttpRequest.BodyPublishers.ofString(
                "{\"text\": nope")).build(), HttpResponse.BodyHandlers.ofByteArray()), 400, "invalid_request_body");
        long generation = simulator.stats().families().values().stream().mapToLong(FamilyStats::requests).sum();
        assertThat(generation).isZero();
        assertThat(simulator.stats().otherRequests()).isZero();
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String detailStatus) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        var detail = JSON.readTree(response.body()).path("detail");
        assertThat(detail.path("status").asText()).isEqualTo(detailStatus);
        assertThat(detail.path("request_id").asText()).isEqualTo(response.headers().firstValue("x-request-id")
                .orElseThrow());
    }

    @Test
    void noPermitLeaksAfterDisconnectsWhileQueuedAndStreaming() throws Exception {
        // The upstream allows one as well: its headers would otherwise raise the adaptive limit and admit the queue.
        start(SimulatorConfig.builder().plan(PlanTier.PRO).limit(ModelFamily.MULTILINGUAL, 1).latencyScale(0.5),
                Map.of("multilingual", 1), 100_000);
        // A long text keeps the only slot busy (about 2.5 s) while the other clients queue and leave.
        CompletableFuture<HttpResponse<byte[]>> running = http.sendAsync(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + gateway.port() + "/v1/text-to-speech/" + VOICE + "/stream"))
                .header("xi-api-key", KEY).POST(HttpRequest.BodyPublishers.ofString("{\"text\":\""
                        + "word ".repeat(200) + "\"}")).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight() == 1);
        List<Socket> departing = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket socket = new Socket("127.0.0.1", gateway.port());
            byte[] body = TTS_BODY.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/text-to-speech/" + VOICE + "/stream HTTP/1.1\r\nHost: x\r\nxi-api-key: " + KEY
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            departing.add(socket);
        }
        await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).queued() == 5);
        for (Socket socket : departing) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).queued() == 0);
        assertThat(running.join().statusCode()).isEqualTo(200);
        await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight() == 0);
        assertThat(multilingual().requests()).as("departed clients never reached the upstream").isEqualTo(1);
        assertThat(speak(null).join().statusCode()).as("the pool is whole again").isEqualTo(200);
        await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight() == 0);
    }

    @Test
    void aWebSocketHoldsItsSlotForItsWholeLifeSoTheNextOneQueuesInsteadOfFailing() throws Exception {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).limit(ModelFamily.MULTILINGUAL, 1).latencyScale(0.05),
                Map.of("multilingual", 1), 100_000);
        WsRecorder first = new WsRecorder();
        WebSocket holder = ws(first).join();
        holder.sendText("{\"text\": \" \"}", true).join();
        await().until(() -> multilingual().currentConcurrency() == 1);
        WsRecorder second = new WsRecorder();
        CompletableFuture<WebSocket> waiting = ws(second);
        await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).queued() == 1);
        holder.sendText("{\"text\": \"Hello over the gateway. \"}", true).join();
        holder.sendText("{\"text\": \"\"}", true).join();
        assertThat(first.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(first.messages).anySatisfy(message -> assertThat(message).contains("\"audio\""));
        assertThat(first.messages.get(first.messages.size() - 1)).contains("isFinal");
        WebSocket next = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        next.sendText("{\"text\": \" \"}", true).join();
        next.sendText("{\"text\": \"Second session. \"}", true).join();
        next.sendText("{\"text\": \"\"}", true).join();
        assertThat(second.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(multilingual().concurrencyRejections()).isZero();
        await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight() == 0);
    }

    private CompletableFuture<WebSocket> ws(WsRecorder recorder) {
        return http.newWebSocketBuilder().header("xi-api-key", KEY).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/v1/text-to-speech/" + VOICE
                        + "/stream-input?model_id=eleven_multilingual_v2"), recorder);
    }

    /** Records the messages the gateway relays to a WebSocket client. */
    private static final class WsRecorder implements WebSocket.Listener {
        final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }
}
