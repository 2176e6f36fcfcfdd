package dev.xigate.gateway.admin;

import dev.xigate.gateway.Gateway;
import dev.xigate.gateway.LimiterFactory;
import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.gateway.config.ClientSettings;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.LimitSettings;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.gateway.resilience.Resilience;
import dev.xigate.gateway.resilience.ResilienceSettings;
import dev.xigate.limit.Limiter;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** A gateway with observability installed in front of the real simulator, on loopback; for the tests here. */
final class ObservedGateway implements AutoCloseable {
    static final String CLIENT_KEY = "client-key-7f3a9c1e5b2d4f60";
    static final String UPSTREAM_KEY = "sk_4c7e1f9a2b8d6e0f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b";
    private static final AtomicInteger sequence = new AtomicInteger();

    final Simulator simulator;
    final Gateway gateway;
    final Observability observability;
    final Resilience resilience;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ObservedGateway(Simulator simulator, Gateway gateway, Observability observability,
            Resilience resilience) {
        this.simulator = simulator;
        this.gateway = gateway;
        this.observability = observability;
        this.resilience = resilience;
    }

    /** Starts simulator and gateway; the simulator accepts only the given upstream keys. */
    static ObservedGateway start(Set<String> acceptedUpstreamKeys, double latencyScale, int multilingualLimit) {
        return start(acceptedUpstreamKeys, latencyScale, multilingualLimit, ChaosConfig.none());
    }

    /** Starts simulator (with chaos) and gateway with the resilience stage bound to observability. */
    static ObservedGateway start(Set<String> acceptedUpstreamKeys, double latencyScale, int multilingualLimit,
            ChaosConfig chaos) {
        Simulator simulator = Simulator.start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(latencyScale)
                .apiKeys(acceptedUpstreamKeys).chaos(chaos).host("127.0.0.1").port(0).build());
        Observability observability = null;
        Resilience resilience = null;
        try {
            GatewayConfig config = GatewayConfig.ofDefaults()
                    .withPlan("pro")
                    .withServer(new ServerSettings("127.0.0.1", 0, 0, 100_000L, Duration.ofSeconds(5)))
                    .withUpstream(UpstreamSettings.ofDefaults().withUrl(simulator.baseUri().toString()))
                    // A fixed limit (no adaptation to the upstream's headers) keeps the tests' numbers exact.
                    .withLimits(new LimitSettings(Map.of("multilingual", multilingualLimit), null,
                            Duration.ofSeconds(60), false))
                    .withClients(List.of(ClientSettings.of("app", KeyHashes.sha256Hex(CLIENT_KEY), "normal",
                            "high")));
            Limiter limiter = LimiterFactory.inMemory(config);
            Gateway.Builder builder = Gateway.builder(config).limiter(limiter).apiKey(UPSTREAM_KEY);
            observability = Observability.install(builder, config, limiter, UPSTREAM_KEY, Duration.ofMillis(200),
                    List.of());
            resilience = Resilience.install(builder, ResilienceSettings.ofDefaults(), limiter, Clock.systemUTC(),
                    System::nanoTime, observability.retryListener());
            observability.bindBreakers(resilience.breakers());
            return new ObservedGateway(simulator, builder.start(), observability, resilience);
        } catch (RuntimeException e) {
            if (resilience != null) {
                resilience.close();
            }
            if (observability != null) {
                observability.close();
            }
            simulator.close();
            throw e;
        }
    }

    /** Sends text-to-speech stream requests, all at once. */
    List<CompletableFuture<HttpResponse<String>>> speak(int count, String voiceId, String userId) {
        URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/text-to-speech/" + voiceId + "/stream");
        // Distinct texts: identical requests in flight would be coalesced into one upstream call.
        return IntStream.range(0, count).mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(uri)
                        .header("xi-api-key", CLIENT_KEY).header("content-type", "application/json")
                        .header("x-user-id", userId)
                        .POST(HttpRequest.BodyPublishers.ofString(body(sequence.incrementAndGet()))).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
    }

    /** Sends requests and waits for every answer. */
    List<HttpResponse<String>> speakAndWait(int count, String userId) {
        return speak(count, Simulator.DEFAULT_VOICE_ID, userId).stream().map(CompletableFuture::join).toList();
    }

    /** GETs a path of the admin port. */
    HttpResponse<String> admin(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String body(int n) {
        return "{\"text\":\"Hello world, this is test number " + n + ".\",\"model_id\":\"eleven_multilingual_v2\"}";
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            resilience.close();
            observability.close();
            simulator.close();
        }
    }
}
