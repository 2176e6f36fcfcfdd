package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.plan.PlanTier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadRunnerTest {
    private static HttpClient http;

    @TempDir
    Path out;

    @BeforeAll
    static void createClient() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    @AfterAll
    static void closeClient() {
        http.close();
    }

    private static Summary run(LoadtestConfig config, List<Summary.TimePoint> ticks) {
        return new LoadRunner(config, http, System::nanoTime, Clock.systemUTC(),
                (point, totals, duration, last) -> ticks.add(point)).run();
    }

    @Test
    void rampUpSummaryMatchesWhatTheUpstreamCounted() throws Exception {
        try (StubUpstream stub = StubUpstream.start(PlanTier.PRO, 50)) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.RAMP_UP).target(stub.uri())
                    .simulator(stub.uri()).startRps(4.0).endRps(12.0).durationSeconds(3).out(out).build();

            Summary summary = run(config, new ArrayList<>());
            SummaryWriter.write(summary, out);

            JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            assertThat(json.at("/requests/planned").asLong()).isEqualTo(24);
            assertThat(json.at("/requests/sent").asLong()).isEqualTo(24);
            assertThat(json.at("/upstream/requests_counted").asLong()).isEqualTo(json.at("/requests/sent").asLong());
            assertThat(json.at("/upstream/errors_counted").asLong()).isEqualTo(json.at("/requests/failed").asLong());
            assertThat(json.at("/requests/succeeded").asLong()).isEqualTo(24);
            assertThat(json.at("/latency_ms/p50").asDouble()).isGreaterThanOrEqualTo(50.0);
            assertThat(json.at("/gateway/retries").asText()).isEqualTo("n/a");
            assertThat(json.at("/verdict/passed").asBoolean()).isTrue();
            assertThat(json.at("/timeline").size()).isGreaterThanOrEqualTo(3);
            assertThat(summary.settings()).doesNotContainKey("api_key");
        }
    }

    @Test
    void burstOverThePlanLimitIsAnsweredWith429s() {
        try (StubUpstream stub = StubUpstream.start(PlanTier.FREE, 200)) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.BURST).target(stub.uri())
                    .simulator(stub.uri()).planTier(PlanTier.FREE).concurrency(10).iterations(20L).build();

            Summary summary = run(config, new ArrayList<>());

            assertThat(summary.requests().sent()).isEqualTo(20).isEqualTo(stub.requests());
            assertThat(summary.errors().byStatus()).containsKey("429");
            assertThat(summary.errors().byType()).containsKey("too_many_concurrent_requests");
            assertThat(summary.upstream().errorsCounted()).isEqualTo(summary.requests().failed());
            assertThat(summary.upstream().maxConcurrency()).containsEntry("multilingual", 2);
            assertThat(summary.verdict().passed()).isTrue();
        }
    }

    @Test
    void failsTheRunWhenUpstreamConcurrencyExceedsThePlan() {
        try (StubUpstream stub = StubUpstream.startUnlimited(PlanTier.FREE, 300)) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.BURST).target(stub.uri())
                    .simulator(stub.uri()).planTier(PlanTier.FREE).concurrency(6).iterations(6L).build();

            Summary summary = run(config, new ArrayList<>());

            assertThat(summary.verdict().passed()).isFalse();
            assertThat(summary.verdict().checks()).anySatisfy(check -> {
                assertThat(check.name()).isEqualTo("upstream_concurrency");
                assertThat(check.passed()).isFalse();
                assertThat(check.detail()).contains("multilingual: 6");
            });
        }
    }

    @Test
    void chaosPatternInjectsFailuresAndRestoresTheSimulator() throws Exception {
        try (StubUpstream stub = StubUpstream.start(PlanTier.PRO, 20)) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.CHAOS).target(stub.uri())
                    .simulator(stub.uri()).failureRate(0.5).rps(20.0).durationSeconds(2).maxErrorRate(0.01).build();

            Summary summary = run(config, new ArrayList<>());

            assertThat(summary.requests().sent()).isEqualTo(40).isEqualTo(stub.requests());
            assertThat(summary.errors().byType()).containsKey("internal_server_error");
            assertThat(summary.requests().failed()).isEqualTo(summary.upstream().errorsCounted()).isBetween(5L, 35L);
            assertThat(summary.verdict().passed()).isFalse();
            String chaosAfter = http.send(HttpRequest.newBuilder(stub.uri().resolve("/_sim/chaos")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(new ObjectMapper().readTree(chaosAfter).at("/failure_rates/error_500").asDouble()).isZero();
        }
    }

    @Test
    void soakWithAMixedScenarioRecordsTimeToFirstByte() {
        try (StubUpstream stub = StubUpstream.start(PlanTier.PRO, 40)) {
            Scenario mix = new Scenario("mix", null,
                    Map.of("convert", 1.0, "stream", 1.0, "stt", 1.0, "stream-input", 1.0),
                    Map.of("eleven_flash_v2_5", 1.0, "eleven_multilingual_v2", 1.0), null,
                    Map.of("high", 1.0, "low", 1.0), null, null, null).validated();
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.SOAK).target(stub.uri())
                    .simulator(stub.uri()).rps(10.0).durationSeconds(2).scenario(mix).build();

            Summary summary = run(config, new ArrayList<>());

            assertThat(summary.requests().failed()).as(summary.errors().byType().toString()).isZero();
            assertThat(summary.requests().succeeded()).isEqualTo(20).isEqualTo(stub.requests());
            assertThat(summary.ttfbMs().count()).isPositive();
            assertThat(summary.upstream().maxConcurrency()).containsKeys("stt");
        }
    }

    @Test
    void gatewayMetricsFeedTheTimelineAndTheSummary() throws Exception {
        AtomicInteger scrapes = new AtomicInteger();
        HttpServer metrics = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        metrics.createContext("/metrics", exchange -> {
            int n = scrapes.incrementAndGet();
            byte[] body = ("elevenlabs_queue_depth{family=\"multilingual\",priority=\"normal\"} " + n + ".0\n"
                    + "elevenlabs_retries_total{family=\"multilingual\",reason=\"upstream_5xx\"} " + (3 * n) + ".0\n"
                    + "elevenlabs_circuit_breaker_state{breaker=\"multilingual\"} " + (n % 2) + ".0\n"
                    + "elevenlabs_queue_wait_seconds_sum{family=\"multilingual\"} " + (0.5 * n) + "\n"
                    + "elevenlabs_queue_wait_seconds_count{family=\"multilingual\"} " + (10 * n) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        metrics.start();
        try (StubUpstream stub = StubUpstream.start(PlanTier.PRO, 20)) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.SOAK).target(stub.uri())
                    .metrics(URI.create("http://127.0.0.1:" + metrics.getAddress().getPort() + "/metrics"))
                    .rps(5.0).durationSeconds(3).build();

            Summary summary = run(config, new ArrayList<>());

            int seen = scrapes.get();
            assertThat(seen).isGreaterThanOrEqualTo(3);
            assertThat(summary.gateway().metricsScrapes()).isEqualTo(seen);
            assertThat(summary.gateway().retries()).isEqualTo(3L * (seen - 1));
            assertThat(summary.gateway().breakerTransitions()).isEqualTo(seen - 1L);
            assertThat(summary.gateway().maxQueueDepth()).isEqualTo((double) seen);
            assertThat(summary.gateway().meanQueueWaitMs()).isEqualTo(50.0);
            assertThat(summary.timeline()).allSatisfy(point -> assertThat(point.queueDepth()).isNotNull());
        } finally {
            metrics.stop(0);
        }
    }

    @Test
    void closedLoopAgainstADeadTargetReportsConnectionErrors() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.BURST)
                .target(URI.create("http://127.0.0.1:" + freePort)).concurrency(3).iterations(6L).build();

        Summary summary = run(config, new ArrayList<>());

        assertThat(summary.requests().failed()).isEqualTo(6);
        assertThat(summary.errors().byStatus()).containsEntry("0", 6L);
        assertThat(summary.errors().byType()).containsKey("connect_error");
        assertThat(summary.upstream().source()).isEqualTo("none");
        assertThat(Files.exists(out)).isTrue();
    }
}
