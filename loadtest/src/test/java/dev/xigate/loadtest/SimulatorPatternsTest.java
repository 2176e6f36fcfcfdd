package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import dev.xigate.simulator.SimulatorStats;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each pattern, briefly, straight against the real simulator: the summary must agree with what it counted. */
class SimulatorPatternsTest {
    private static HttpClient http;

    @BeforeAll
    static void createClient() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    @AfterAll
    static void closeClient() {
        http.close();
    }

    private static Simulator simulator(PlanTier plan, double latencyScale) {
        return Simulator.start(SimulatorConfig.builder().plan(plan).port(0).latencyScale(latencyScale).build());
    }

    private static Summary run(LoadtestConfig config) {
        return new LoadRunner(config, http, System::nanoTime, Clock.systemUTC(), (p, t, d, l) -> { }).run();
    }

    private static long totalRequests(SimulatorStats stats) {
        return stats.families().values().stream().mapToLong(SimulatorStats.FamilyStats::requests).sum();
    }

    private static long totalErrors(SimulatorStats stats) {
        return stats.families().values().stream().flatMap(f -> f.responsesByStatus().entrySet().stream())
                .filter(e -> e.getKey() >= 400).mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void rampUpCountsMatchTheSimulator() {
        try (Simulator sim = simulator(PlanTier.PRO, 0.05)) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.RAMP_UP).target(sim.baseUri())
                    .simulator(sim.baseUri()).startRps(5.0).endRps(15.0).durationSeconds(2).build();

            Summary summary = run(config);

            assertThat(summary.requests().sent()).isEqualTo(20);
            assertThat(summary.upstream().requestsCounted()).isEqualTo(20).isEqualTo(totalRequests(sim.stats()));
            assertThat(summary.requests().failed()).as(summary.errors().byType().toString())
                    .isEqualTo(summary.upstream().errorsCounted()).isEqualTo(totalErrors(sim.stats()));
            assertThat(summary.verdict().passed()).isTrue();
        }
    }

    @Test
    void burstAboveTheFreePlanIsRejectedAndNeverExceedsTheLimit() {
        try (Simulator sim = simulator(PlanTier.FREE, 0.3)) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.BURST).target(sim.baseUri())
                    .simulator(sim.baseUri()).planTier(PlanTier.FREE).concurrency(12).iterations(36L).build();

            Summary summary = run(config);

            SimulatorStats.FamilyStats multilingual = sim.stats().family(ModelFamily.MULTILINGUAL);
            assertThat(summary.requests().sent()).isEqualTo(36).isEqualTo(multilingual.requests());
            assertThat(summary.errors().byStatus().get("429")).isEqualTo(multilingual.responses(429)).isPositive();
            assertThat(summary.errors().byType()).containsKey("too_many_concurrent_requests");
            assertThat(summary.upstream().maxConcurrency()).containsEntry("multilingual",
                    multilingual.maxConcurrency());
            assertThat(multilingual.maxConcurrency()).isLessThanOrEqualTo(2);
            assertThat(summary.verdict().checks()).filteredOn(c -> c.name().equals("upstream_concurrency"))
                    .singleElement().satisfies(c -> assertThat(c.passed()).isTrue());
        }
    }

    @Test
    void chaosFailuresMatchTheSimulatorAndChaosIsRestored() {
        try (Simulator sim = simulator(PlanTier.PRO, 0.05)) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.CHAOS).target(sim.baseUri())
                    .simulator(sim.baseUri()).failureRate(0.3).rps(20.0).durationSeconds(2).build();

            Summary summary = run(config);

            assertThat(summary.requests().sent()).isEqualTo(40).isEqualTo(totalRequests(sim.stats()));
            assertThat(summary.requests().failed()).isEqualTo(totalErrors(sim.stats())).isBetween(3L, 25L);
            assertThat(summary.errors().byStatus().keySet()).allMatch(s -> s.matches("200|429|500|502|503"));
            assertThat(sim.chaos().failureRates()).allSatisfy((kind, rate) -> assertThat(rate).isZero());
        }
    }

    @Test
    void soakWithStreamsAndWebSocketsRecordsTimeToFirstByte() {
        try (Simulator sim = simulator(PlanTier.PRO, 0.05)) {
            Scenario mix = new Scenario("streams", null, Map.of("convert", 1.0, "stream", 1.0, "stream-input", 1.0),
                    Map.of("eleven_flash_v2_5", 1.0), null, Map.of(), null, null, null).validated();
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.SOAK).target(sim.baseUri())
                    .simulator(sim.baseUri()).rps(10.0).durationSeconds(2).scenario(mix).build();

            Summary summary = run(config);

            assertThat(summary.requests().failed()).as(summary.errors().byType().toString()).isZero();
            assertThat(summary.requests().succeeded()).isEqualTo(20).isEqualTo(totalRequests(sim.stats()));
            assertThat(summary.ttfbMs().count()).isPositive();
            assertThat(summary.ttfbMs().p50()).isLessThanOrEqualTo(summary.latencyMs().max());
            assertThat(summary.byEndpoint()).containsOnlyKeys("convert", "stream", "stream-input");
            assertThat(summary.byEndpoint().values().stream().mapToLong(Summary.EndpointFigures::succeeded).sum())
                    .isEqualTo(20);
        }
    }
}
