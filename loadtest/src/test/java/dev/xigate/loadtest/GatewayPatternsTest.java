package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.gateway.Gateway;
import dev.xigate.gateway.LimiterFactory;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.gateway.resilience.Resilience;
import dev.xigate.gateway.resilience.ResilienceSettings;
import dev.xigate.limit.Limiter;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import dev.xigate.simulator.SimulatorStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each pattern, briefly, through the real gateway in front of the real simulator: the summary must agree with what
 * the simulator counted, and the upstream must never exceed the plan.
 */
class GatewayPatternsTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Simulator simulator;
    private Limiter limiter;
    private Gateway gateway;
    private Resilience resilience;

    private void start(PlanTier plan, double latencyScale) {
        simulator = Simulator.start(SimulatorConfig.builder().plan(plan).port(0).latencyScale(latencyScale).build());
        GatewayConfig config = GatewayConfig.ofDefaults().withPlan(plan.label())
                .withServer(new ServerSettings("127.0.0.1", 0, 0, null, Duration.ofSeconds(5)))
                .withUpstream(UpstreamSettings.ofDefaults().withUrl(simulator.baseUri().toString()));
        limiter = LimiterFactory.inMemory(config);
        Gateway.Builder builder = Gateway.builder(config).limiter(limiter).apiKey("upstream-key").accessLog(false);
        // The retry, breaker, cache and coalescing stage, as the gateway installs it (not yet wired into serve).
        resilience = Resilience.install(builder, ResilienceSettings.ofDefaults());
        gateway = builder.start();
    }

    private URI target() {
        return URI.create("http://127.0.0.1:" + gateway.port());
    }

    private URI metrics() {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (resilience != null) {
            resilience.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        http.close();
    }

    private Summary run(LoadtestConfig config) {
        return new LoadRunner(config, http, System::nanoTime, Clock.systemUTC(), (p, t, d, l) -> { }).run();
    }

    private long simulatorSuccesses() {
        return simulator.stats().families().values().stream().flatMap(f -> f.responsesByStatus().entrySet().stream())
                .filter(e -> e.getKey() < 300).mapToLong(Map.Entry::getValue).sum();
    }

    private long simulatorRequests() {
        return simulator.stats().families().values().stream().mapToLong(SimulatorStats.FamilyStats::requests).sum();
    }

    @Test
    void rampUpThroughTheGatewayMatchesTheSimulator() {
        start(PlanTier.PRO, 0.05);
        LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.RAMP_UP).target(target())
                .simulator(simulator.baseUri()).metrics(metrics()).startRps(5.0).endRps(15.0).durationSeconds(2)
                .maxErrorRate(0.0).build();

        Summary summary = run(config);

        assertThat(summary.requests().sent()).isEqualTo(20);
        assertThat(summary.requests().succeeded()).as(summary.errors().byType().toString())
                .isEqualTo(20).isEqualTo(simulatorSuccesses());
        assertThat(summary.upstream().requestsCounted()).isEqualTo(simulatorRequests());
        assertThat(summary.verdict().passed()).isTrue();
    }

    @Test
    void burstAboveThePlanIsQueuedNotRejected() {
        start(PlanTier.FREE, 0.2);
        LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.BURST).target(target())
                .simulator(simulator.baseUri()).metrics(metrics()).planTier(PlanTier.FREE).concurrency(20)
                .iterations(40L).build();

        Summary summary = run(config);

        SimulatorStats.FamilyStats multilingual = simulator.stats().family(ModelFamily.MULTILINGUAL);
        assertThat(summary.requests().sent()).isEqualTo(40);
        assertThat(summary.requests().succeeded()).as(summary.errors().byType().toString())
                .isEqualTo(multilingual.responses(200));
        assertThat(multilingual.maxConcurrency()).isLessThanOrEqualTo(2);
        assertThat(summary.upstream().maxConcurrency()).containsEntry("multilingual", multilingual.maxConcurrency());
        assertThat(multilingual.concurrencyRejections()).isZero();
        assertThat(summary.verdict().passed()).isTrue();
    }

    @Test
    void soakWithStreamsThroughTheGatewayRecordsTimeToFirstByte() {
        start(PlanTier.PRO, 0.05);
        Scenario mix = new Scenario("streams", null, Map.of("convert", 1.0, "stream", 1.0, "stream-input", 1.0),
                Map.of("eleven_flash_v2_5", 1.0), null, Map.of("high", 1.0, "low", 1.0), null, null, null)
                .validated();
        LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.SOAK).target(target())
                .simulator(simulator.baseUri()).metrics(metrics()).rps(10.0).durationSeconds(2).scenario(mix)
                .build();

        Summary summary = run(config);

        assertThat(summary.requests().failed()).as(summary.errors().byType().toString()).isZero();
        assertThat(summary.requests().succeeded()).isEqualTo(20).isEqualTo(simulatorSuccesses());
        assertThat(summary.ttfbMs().count()).isPositive();
    }

    @Test
    void chaosAtTenPercentStaysUnderHalfAPercentForClients() {
        start(PlanTier.PRO, 0.05);
        LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.CHAOS).target(target())
                .simulator(simulator.baseUri()).metrics(metrics()).failureRate(0.1).rps(25.0).durationSeconds(8)
                .maxErrorRate(0.005).build();

        Summary summary = run(config);

        long upstreamErrors = summary.upstream().errorsCounted();
        assertThat(upstreamErrors).as("the simulator injected failures").isPositive();
        assertThat(summary.upstream().requestsCounted()).isEqualTo(simulatorRequests())
                .as("the gateway retried what failed").isGreaterThan(summary.requests().sent());
        assertThat(summary.requests().succeeded()).isEqualTo(simulatorSuccesses());
        assertThat(summary.errors().rate()).as(summary.errors().byType().toString()).isLessThan(0.005);
        assertThat(summary.verdict().passed()).isTrue();
    }
}
