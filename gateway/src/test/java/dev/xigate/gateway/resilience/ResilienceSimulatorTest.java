package dev.xigate.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.cache.CacheConfig;
import dev.xigate.circuit.CircuitConfig;
import dev.xigate.circuit.CircuitState;
import dev.xigate.gateway.Gateway;
import dev.xigate.gateway.LimiterFactory;
import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.gateway.config.ClientSettings;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.LimitSettings;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.gateway.upstream.HttpUpstreamCall;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterEvent;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import dev.xigate.retry.Backoff;
import dev.xigate.retry.RetryConfig;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.FaultKind;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import dev.xigate.simulator.SimulatorStats.FamilyStats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The resilience stages in the real gateway, with the real limiter, against the simulator's chaos controls. */
class ResilienceSimulatorTest {
    private static final Logger logger = LoggerFactory.getLogger(ResilienceSimulatorTest.class);
    private static final String KEY = "resilience-client-key";
    private static final String UPSTREAM_KEY = "upstream-key";
    private static final String VOICE = Simulator.DEFAULT_VOICE_ID;
    private static final String FLASH = "eleven_flash_v2_5";
    private static final ModelFamily FAMILY = ModelFamily.TURBO_FLASH;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cacheDirectory;

    private final ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(clientThreads).build();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Simulator simulator;
    private Limiter limiter;
    private Resilience resilience;
    private Gateway gateway;
    private final AtomicInteger upstreamCalls = new AtomicInteger();
    private volatile Duration headerDelay = Duration.ZERO;

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        clientThreads.shutdownNow();
    }

    private static RetryConfig fastRetries() {
        return RetryConfig.builder()
                .serverErrorBackoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(200),
                        0.5))
                .networkBackoff(Backoff.linear(Duration.ofMillis(20), Duration.ofMillis(200), 0.2))
                .rateLimitBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(500),
                        0.5))
                .retryAfterCap(Duration.ofMillis(100))
                .overallDeadline(Duration.ofSeconds(20))
                .build();
    }

    private ResilienceSettings settings() {
        return ResilienceSettings.ofDefaults().withRetry(fastRetries())
                .withCache(CacheConfig.ofDefaults().withDirectory(cacheDirectory))
                .withCircuit(CircuitConfig.ofDefaults().withOpenDuration(Duration.ofMillis(500))
                        .withSlowStartDuration(Duration.ZERO))
                .withStreamIdleTimeout(Duration.ofMillis(500));
    }

    private Map<String, Integer> gatewayFamilyLimits = Map.of();

    private void start(SimulatorConfig.Builder sim, ResilienceSettings settings) {
        start(sim, settings, UPSTREAM_KEY);
    }

    private void start(SimulatorConfig.Builder sim, ResilienceSettings settings, String upstreamKey) {
        simulator = Simulator.start(sim.host("127.0.0.1").port(0).apiKeys(Set.of(UPSTREAM_KEY)).build());
        closeables.add(simulator);
        GatewayConfig config = GatewayConfig.ofDefaults()
                .withPlan("pro")
                .withServer(new ServerSettings("127.0.0.1", 0, 0, 100_000L, Duration.ofSeconds(5)))
                .withUpstream(UpstreamSettings.ofDefaults().withUrl(simulator.baseUri().toString()))
                // Up to 500 requests at once against 20 slots: room for all of them in the queue (default 100).
                .withLimits(new LimitSettings(gatewayFamilyLimits, 1_000, null, null))
                .withClients(List.of(ClientSettings.of("app", KeyHashes.sha256Hex(KEY), "normal", "high")));
        limiter = LimiterFactory.inMemory(config);
        HttpUpstreamCall direct = HttpUpstreamCall.create(simulator.baseUri().toString(), upstreamKey,
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        Gateway.Builder builder = Gateway.builder(config).limiter(limiter).apiKey(upstreamKey).accessLog(false)
                .upstream(request -> {
                    upstreamCalls.incrementAndGet();
                    // Stands for an upstream that accepted the connection but sends no headers for a while.
                    Thread.sleep(headerDelay.toMillis());
                    return direct.send(request);
                });
        resilience = Resilience.install(builder, settings, limiter);
        closeables.add(resilience);
        gateway = builder.start();
        closeables.add(gateway);
    }

    private static String ttsBody(String text) {
        return "{\"text\":\"" + text + "\",\"model_id\":\"" + FLASH + "\"}";
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("xi-api-key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private HttpResponse<byte[]> speak(String text) {
        return send(post("/v1/text-to-speech/" + VOICE, ttsBody(text)));
    }

    private CompletableFuture<HttpResponse<byte[]>> speakAsync(String path, String text) {
        return CompletableFuture.supplyAsync(() -> send(post(path, ttsBody(text))), clientThreads);
    }

    private FamilyStats flash() {
        return simulator.stats().family(FAMILY);
    }

    private void awaitPoolFull() {
        // The permit goes back when the server side closes the response, just after the client saw its last byte.
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.snapshot(FAMILY).inFlight() == 0);
    }

    private static JsonNode detail(HttpResponse<byte[]> response) throws IOException {
        return JSON.readTree(response.body()).path("detail");
    }

    @Test
    void tenPercentServerErrorsBarelyReachClients() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05),
                settings().withCache(CacheConfig.ofDefaults()));
        simulator.chaos(ChaosConfig.builder().failureRate(FaultKind.ERROR_500, 0.04)
                .failureRate(FaultKind.ERROR_502, 0.03).failureRate(FaultKind.ERROR_503, 0.03).build());

        List<CompletableFuture<HttpResponse<byte[]>>> calls = IntStream.range(0, 500)
                .mapToObj(i -> speakAsync("/v1/text-to-speech/" + VOICE, "sentence number " + i)).toList();
        List<HttpResponse<byte[]>> responses = calls.stream().map(CompletableFuture::join).toList();

        long failed = responses.stream().filter(r -> r.statusCode() != 200).count();
        FamilyStats stats = flash();
        long upstreamErrors = stats.responses(500) + stats.responses(502) + stats.responses(503);
        logger.info("- Chaos 10% 5xx requests=500 clientFailures={} upstreamCalls={} upstreamErrors={} failures={}",
                failed, stats.requests(), upstreamErrors, responses.stream().filter(r -> r.statusCode() != 200)
                        .map(r -> r.statusCode() + ":" + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                        .distinct().limit(5).toList());
        assertThat(failed).isLessThanOrEqualTo(2);
        assertThat(upstreamErrors).isPositive();
        assertThat(stats.requests()).isEqualTo(500 + upstreamErrors);
        awaitPoolFull();
    }

    @Test
    void clientErrorsPassThroughUnchangedAfterOneUpstreamCall() throws Exception {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings());

        HttpResponse<byte[]> unknownVoice = send(post("/v1/text-to-speech/no-such-voice", ttsBody("hello")));
        assertThat(unknownVoice.statusCode()).isEqualTo(400);
        assertThat(detail(unknownVoice).path("status").asText()).isEqualTo("voice_not_found");
        assertThat(detail(unknownVoice).path("request_id").asText()).isNotEmpty();

        HttpResponse<byte[]> invalid = send(post("/v1/text-to-speech/" + VOICE,
                "{\"text\":\"hi\",\"model_id\":\"" + FLASH + "\",\"previous_request_ids\":[1]}"));
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(invalid.body()).path("detail").isArray()).isTrue();
        assertThat(upstreamCalls).hasValue(2);

        long otherBefore = simulator.stats().otherRequests();
        HttpResponse<byte[]> missing = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/v1/history/no-such-item")).header("xi-api-key", KEY).GET());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(detail(missing).path("status").asText()).isEqualTo("not_found");
        assertThat(upstreamCalls).hasValue(3);
        assertThat(simulator.stats().otherRequests() - otherBefore).isLessThanOrEqualTo(1);
        assertThat(resilience.breakers().state(FAMILY)).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void invalidUpstreamKeyGives401AfterOneUpstreamCall() throws Exception {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings(), "wrong-upstream-key");

        HttpResponse<byte[]> response = speak("hello");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(detail(response).path("status").asText()).isEqualTo("invalid_api_key");
        assertThat(upstreamCalls).hasValue(1);
    }

    @Test
    void networkFailuresOpenBreakerWhichFailsFastThenProbeClosesIt() throws Exception {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05),
                settings().withRetry(fastRetries().toBuilder().maxAttempts(1).build()));
        simulator.chaos(ChaosConfig.builder().failureRate(FaultKind.RESET, 1.0).build());

        for (int i = 0; i < 5; i++) {
            assertThat(speak("fail " + i).statusCode()).isEqualTo(502);
        }
        assertThat(resilience.breakers().state(FAMILY)).isEqualTo(CircuitState.OPEN);
        long upstreamCalls = flash().requests();
        assertThat(upstreamCalls).isEqualTo(5);

        long start = System.nanoTime();
        HttpResponse<byte[]> refused = speak("refused");
        long elapsedMicros = (System.nanoTime() - start) / 1000;
        logger.info("- Circuit open answer latencyMicros={}", elapsedMicros);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(detail(refused).path("status").asText()).isEqualTo("circuit_open");
        assertThat(detail(refused).path("request_id").asText()).isNotEmpty();
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        assertThat(flash().requests()).isEqualTo(upstreamCalls);

        simulator.chaos(ChaosConfig.none());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            speak("probe " + System.nanoTime());
            return resilience.breakers().state(FAMILY) == CircuitState.CLOSED;
        });
        assertThat(speak("healthy again").statusCode()).isEqualTo(200);
        awaitPoolFull();
    }

    @Test
    void upstreamDownServesCachedAudioAsFallbackElseClear503() throws Exception {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings());
        HttpResponse<byte[]> fresh = speak("remember me");
        assertThat(fresh.statusCode()).isEqualTo(200);
        await().until(() -> resilience.cache().size() == 1);
        simulator.chaos(ChaosConfig.builder().failureRate(FaultKind.ERROR_503, 1.0).build());

        HttpResponse<byte[]> fallback = speak("remember me");
        HttpResponse<byte[]> uncached = speak("never heard before");
        HttpResponse<byte[]> bypassed = send(post("/v1/text-to-speech/" + VOICE, ttsBody("remember me"))
                .header("x-xigate-cache", "bypass"));

        assertThat(fallback.statusCode()).isEqualTo(200);
        assertThat(fallback.headers().firstValue("x-xigate-cache")).contains("fallback");
        assertThat(fallback.body()).isEqualTo(fresh.body());
        assertThat(uncached.statusCode()).isEqualTo(503);
        assertThat(detail(uncached).path("status").asText()).isNotEmpty();
        assertThat(detail(uncached).path("message").asText()).isNotEmpty();
        assertThat(bypassed.statusCode()).isEqualTo(503);
        awaitPoolFull();
    }

    @Test
    void preferHeaderServesCacheWithoutUpstreamCall() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings());
        HttpResponse<byte[]> fresh = speak("cached line");
        await().until(() -> resilience.cache().size() == 1);
        long before = flash().requests();

        HttpResponse<byte[]> hit = send(post("/v1/text-to-speech/" + VOICE, ttsBody("cached line"))
                .header("x-xigate-cache", "prefer"));
        HttpResponse<byte[]> bad = send(post("/v1/text-to-speech/" + VOICE, ttsBody("cached line"))
                .header("x-xigate-cache", "always"));

        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.headers().firstValue("x-xigate-cache")).contains("hit");
        assertThat(hit.body()).isEqualTo(fresh.body());
        assertThat(flash().requests()).isEqualTo(before);
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void twentyIdenticalRequestsMakeOneUpstreamCall() {
        identicalRequestsShareOneCall("/v1/text-to-speech/" + VOICE);
    }

    @Test
    void twentyIdenticalStreamingRequestsMakeOneUpstreamCall() {
        identicalRequestsShareOneCall("/v1/text-to-speech/" + VOICE + "/stream");
    }

    private void identicalRequestsShareOneCall(String path) {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(1.0), settings());
        simulator.chaos(ChaosConfig.builder().extraLatency(Duration.ofMillis(800)).build());
        String text = "All twenty of you asked for exactly the same sentence, so you share one call.";

        List<CompletableFuture<HttpResponse<byte[]>>> calls = IntStream.range(0, 20)
                .mapToObj(i -> speakAsync(path, text)).toList();
        List<HttpResponse<byte[]>> responses = calls.stream().map(CompletableFuture::join).toList();

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        byte[] first = responses.get(0).body();
        assertThat(first.length).isGreaterThan(1000);
        assertThat(responses).allSatisfy(r -> assertThat(r.body()).isEqualTo(first));
        assertThat(responses).allSatisfy(r -> assertThat(r.headers().firstValue("x-xigate-cache")).contains("miss"));
        assertThat(responses.stream().filter(r -> r.headers().firstValue("x-xigate-coalesced")
                .orElse("").equals("leader")).count()).isEqualTo(1);
        assertThat(flash().requests()).isEqualTo(1);
        awaitPoolFull();
    }

    @Test
    void streamCutMidwayEndsClientStreamReleasesPermitAndIsCounted() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings());
        simulator.chaos(ChaosConfig.builder().failureRate(FaultKind.STREAM_RESET, 1.0).build());

        CompletableFuture<HttpResponse<byte[]>> cut = speakAsync("/v1/text-to-speech/" + VOICE + "/stream",
                "a long enough sentence to be cut in the middle of its audio stream by the simulator");

        assertThat(cut).failsWithin(Duration.ofSeconds(15));
        await().atMost(Duration.ofSeconds(10)).until(() -> resilience.streamFailures() >= 1);
        awaitPoolFull();
        assertThat(flash().requests()).isEqualTo(1);
    }

    @Test
    void stalledStreamIsCutByWatchdogWithoutHang() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings());
        simulator.chaos(ChaosConfig.builder().failureRate(FaultKind.STREAM_STALL, 1.0)
                .stall(Duration.ofSeconds(60)).build());

        CompletableFuture<HttpResponse<byte[]>> stalled = speakAsync("/v1/text-to-speech/" + VOICE + "/stream",
                "a sentence whose stream goes silent halfway through and must not hang the client");

        assertThat(stalled).failsWithin(Duration.ofSeconds(15));
        await().atMost(Duration.ofSeconds(10)).until(() -> resilience.streamFailures() >= 1);
        awaitPoolFull();
    }

    @Test
    void outageRetriesStayWithinBudget() {
        RetryConfig budgeted = fastRetries().toBuilder().budgetRatio(0.2).budgetMinRetries(10).build();
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings().withRetry(budgeted)
                .withCircuit(CircuitConfig.ofDefaults().withFailureThreshold(100_000)));
        simulator.chaos(ChaosConfig.builder().failureRate(FaultKind.ERROR_503, 1.0).retryAfterSeconds(0).build());
        int requests = 100;

        List<CompletableFuture<HttpResponse<byte[]>>> calls = IntStream.range(0, requests)
                .mapToObj(i -> speakAsync("/v1/text-to-speech/" + VOICE, "outage line " + i)).toList();
        calls.forEach(CompletableFuture::join);

        long upstreamCalls = flash().requests();
        long budget = 10 + (long) Math.floor(0.2 * requests);
        logger.info("- Outage requests={} upstreamCalls={} retryBudget={}", requests, upstreamCalls, budget);
        assertThat(calls).allSatisfy(c -> assertThat(c.join().statusCode()).isEqualTo(503));
        assertThat(upstreamCalls - requests).isLessThanOrEqualTo(budget).isPositive();
        awaitPoolFull();
    }

    @Test
    void attemptTimeoutBoundsSilentUpstream() throws Exception {
        RetryConfig quick = fastRetries().toBuilder().attemptTimeout(Duration.ofMillis(300)).maxAttempts(2).build();
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings().withRetry(quick));
        headerDelay = Duration.ofSeconds(5);

        long start = System.nanoTime();
        HttpResponse<byte[]> response = speak("too slow to wait for");
        logger.info("- Attempt timeout answer latencyMillis={}", (System.nanoTime() - start) / 1_000_000);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(detail(response).path("status").asText()).isEqualTo("upstream_timeout");
        assertThat(upstreamCalls).hasValue(2);
        awaitPoolFull();
        headerDelay = Duration.ZERO;
        assertThat(speak("fast again").statusCode()).isEqualTo(200);
    }

    @Test
    void adminResetClosesBreakerByHand() throws Exception {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05),
                settings().withRetry(fastRetries().toBuilder().maxAttempts(1).build())
                        .withCircuit(CircuitConfig.ofDefaults().withOpenDuration(Duration.ofMinutes(5))));
        simulator.chaos(ChaosConfig.builder().failureRate(FaultKind.RESET, 1.0).build());
        for (int i = 0; i < 5; i++) {
            speak("fail " + i);
        }
        assertThat(resilience.breakers().state(FAMILY)).isEqualTo(CircuitState.OPEN);
        simulator.chaos(ChaosConfig.none());
        String admin = "http://127.0.0.1:" + gateway.adminPort();

        HttpResponse<byte[]> unknown = send(HttpRequest.newBuilder(URI.create(admin
                + "/admin/circuit/reset?family=nonsense")).POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<byte[]> reset = send(HttpRequest.newBuilder(URI.create(admin
                + "/admin/circuit/reset?family=turbo_flash")).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(detail(unknown).path("param").asText()).isEqualTo("family");
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reset.body()).path("turbo_flash").asText()).isEqualTo("closed");
        assertThat(speak("works again").statusCode()).isEqualTo(200);
    }

    @Test
    void zeroRetentionRequestsAreNotCached() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05), settings());

        HttpResponse<byte[]> response = send(post("/v1/text-to-speech/" + VOICE + "?enable_logging=false",
                ttsBody("keep nothing")));
        speak("keep this one");

        assertThat(response.statusCode()).isEqualTo(200);
        await().until(() -> resilience.cache().size() == 1);
        assertThat(resilience.cache().size()).isEqualTo(1);
    }

    @Test
    void poolRampsUpSlowlyAfterBreakerCloses() {
        start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(1.0),
                settings().withRetry(fastRetries().toBuilder().maxAttempts(1).build())
                        .withCircuit(CircuitConfig.ofDefaults().withOpenDuration(Duration.ofMinutes(5))
                                .withSlowStartDuration(Duration.ofSeconds(10))));
        simulator.chaos(ChaosConfig.builder().failureRate(FaultKind.RESET, 1.0).build());
        for (int i = 0; i < 5; i++) {
            speak("fail " + i);
        }
        simulator.chaos(ChaosConfig.none());
        simulator.resetStats();
        resilience.breakers().reset(FAMILY);

        List<CompletableFuture<HttpResponse<byte[]>>> backlog = IntStream.range(0, 20)
                .mapToObj(i -> speakAsync("/v1/text-to-speech/" + VOICE, "backlog line " + i)).toList();
        List<HttpResponse<byte[]>> responses = backlog.stream().map(CompletableFuture::join).toList();

        int peak = flash().maxConcurrency();
        logger.info("- Slow start after close requests=20 poolLimit={} upstreamPeakConcurrency={}",
                limiter.snapshot(FAMILY).limit(), peak);
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(peak).isBetween(1, 5);
        awaitPoolFull();
    }

    @Test
    void retryAfterSystemBusyGoesBackToTheHeadOfItsQueue() {
        gatewayFamilyLimits = Map.of(FAMILY.label(), 1);
        // Unscaled latency: the simulator scales chaos latency too, and the holder must outlast the Retry-After.
        start(SimulatorConfig.builder().plan(PlanTier.PRO).limit(FAMILY, 1).latencyScale(1.0),
                settings().withRetry(fastRetries().toBuilder().retryAfterCap(Duration.ofSeconds(2)).build()));
        List<String> admitted = new CopyOnWriteArrayList<>();
        limiter.addListener(event -> {
            if (event instanceof LimiterEvent.Admitted granted) {
                admitted.add(granted.request().requestId());
            }
        });
        simulator.chaos(simulator.chaos().toBuilder().retryAfterSeconds(1).build());
        simulator.failNext(FaultKind.SYSTEM_BUSY, 1);

        CompletableFuture<HttpResponse<byte[]>> busy = sendAsync("busy-then-ok", "first in line");
        await().atMost(Duration.ofSeconds(5)).until(() -> flash().responses(429) == 1);
        // While the busy request waits out its Retry-After, one request holds the only slot and two queue behind it.
        simulator.chaos(simulator.chaos().toBuilder().extraLatency(Duration.ofMillis(1_500)).build());
        CompletableFuture<HttpResponse<byte[]>> holder = sendAsync("holder", "holds the slot");
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.snapshot(FAMILY).inFlight() == 1);
        List<CompletableFuture<HttpResponse<byte[]>>> later = List.of(sendAsync("later-1", "arrived later"),
                sendAsync("later-2", "arrived later too"));

        assertThat(busy.join().statusCode()).isEqualTo(200);
        assertThat(holder.join().statusCode()).isEqualTo(200);
        later.forEach(call -> assertThat(call.join().statusCode()).isEqualTo(200));
        assertThat(admitted).hasSize(5);
        assertThat(admitted.subList(0, 3)).as("the retry is served before the requests that came after it")
                .containsExactly("busy-then-ok", "holder", "busy-then-ok");
        assertThat(admitted.subList(3, 5)).containsExactlyInAnyOrder("later-1", "later-2");
        awaitPoolFull();
    }

    private CompletableFuture<HttpResponse<byte[]>> sendAsync(String requestId, String text) {
        return CompletableFuture.supplyAsync(() -> send(post("/v1/text-to-speech/" + VOICE, ttsBody(text))
                .header("x-request-id", requestId)), clientThreads);
    }
}
