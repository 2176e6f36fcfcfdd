package dev.xigate.cli;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.FaultKind;
import dev.xigate.simulator.LatencyProfile;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code xigate simulate} command: runs the ElevenLabs API simulator until interrupted. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the ElevenLabs API simulator (plan limits, latency, audio, quota, chaos).",
            "Serves the /v1 endpoints plus /_sim/stats, /_sim/chaos, /_sim/reset and /_sim/hold; see "
                    + "docs/simulator.md."})
final class SimulateCommand implements Callable<Integer> {
    private static final Logger logger = LoggerFactory.getLogger(SimulateCommand.class);

    @Option(names = "--port", defaultValue = "8090",
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    private int port;

    @Option(names = {"--host", "--bind"}, defaultValue = SimulatorConfig.DEFAULT_HOST,
            description = "bind address (default: ${DEFAULT-VALUE}, loopback only)")
    private String host;

    @Option(names = "--plan", defaultValue = "pro",
            description = "plan tier: free, starter, creator, pro, scale, business, enterprise "
                    + "(default: ${DEFAULT-VALUE})")
    private String plan;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "accepted xi-api-key, repeatable (default: any non-empty key)")
    private List<String> apiKeys = List.of();

    @Option(names = "--limit", paramLabel = "FAMILY=N",
            description = "concurrency limit overriding the plan's; families: multilingual, turbo_flash, stt, "
                    + "music, default")
    private Map<String, Integer> limits = new LinkedHashMap<>();

    @Option(names = "--ttfb-ms", paramLabel = "FAMILY=MS", description = "time to first byte of a family")
    private Map<String, Long> ttfbMillis = new LinkedHashMap<>();

    @Option(names = "--per-unit-ms", paramLabel = "FAMILY=MS",
            description = "generation time per character (TTS) or per audio second (stt, music, default)")
    private Map<String, Double> perUnitMillis = new LinkedHashMap<>();

    @Option(names = "--jitter", paramLabel = "FRACTION", description = "relative latency jitter of every family, 0..1")
    private Double jitter;

    @Option(names = "--latency-scale", defaultValue = "1.0",
            description = "factor on every simulated delay; 0 answers at once (default: ${DEFAULT-VALUE})")
    private double latencyScale;

    @Option(names = "--max-body-bytes", defaultValue = "52428800",
            description = "largest request body; larger get 413 (default: ${DEFAULT-VALUE})")
    private long maxBodyBytes;

    @Option(names = "--character-limit", paramLabel = "CREDITS",
            description = "credit quota of each key (default: the plan's monthly characters)")
    private Long characterLimit;

    @Option(names = "--failure-rate", paramLabel = "KIND=RATE", description = "chaos: probability of a fault per "
            + "generation request; kinds: system_busy, error_500, error_502, error_503, reset, stream_stall, "
            + "stream_reset")
    private Map<String, Double> failureRates = new LinkedHashMap<>();

    @Option(names = "--extra-latency-ms", defaultValue = "0", description = "chaos: latency added to every generation")
    private long extraLatencyMillis;

    @Option(names = "--extra-jitter-ms", defaultValue = "0", description = "chaos: random extra delay bound")
    private long extraJitterMillis;

    @Option(names = "--retry-after", defaultValue = "1",
            description = "chaos: Retry-After seconds of injected 429 system_busy and 503; 0 sends none "
                    + "(default: ${DEFAULT-VALUE})")
    private int retryAfterSeconds;

    @Option(names = "--stall-ms", defaultValue = "30000",
            description = "chaos: silence of a stalled stream (default: ${DEFAULT-VALUE})")
    private long stallMillis;

    @Option(names = "--chaos-limit", paramLabel = "FAMILY=N",
            description = "chaos: concurrency limit that differs from the plan (limit discovery tests)")
    private Map<String, Integer> chaosLimits = new LinkedHashMap<>();

    @Override
    public Integer call() {
        SimulatorConfig config = config();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Simulator simulator = Simulator.start(config)) {
            Thread hook = new Thread(() -> {
                simulator.close();
                stopped.countDown();
            }, "xigate-simulate-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            logger.info("- Simulator listening url={} plan={} limits={}", simulator.baseUri(), config.plan().label(),
                    limitsOf(simulator));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // Interrupted by an embedding caller (tests): stop like on a signal.
                Thread.currentThread().interrupt();
                removeHook(hook);
            }
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // The JVM is already shutting down: the hook runs anyway and closing twice is harmless.
        }
    }

    SimulatorConfig config() {
        SimulatorConfig.Builder builder = SimulatorConfig.builder()
                .plan(PlanTier.fromLabel(plan))
                .host(host)
                .port(port)
                .apiKeys(new LinkedHashSet<>(apiKeys))
                .latencyScale(latencyScale)
                .maxBodyBytes(maxBodyBytes)
                .chaos(chaos());
        limits.forEach((family, limit) -> builder.limit(ModelFamily.fromLabel(family), limit));
        if (characterLimit != null) {
            builder.characterLimit(characterLimit);
        }
        Map<ModelFamily, LatencyProfile> defaults = SimulatorConfig.defaultLatency();
        for (ModelFamily family : ModelFamily.values()) {
            LatencyProfile profile = defaults.get(family);
            Long ttfb = valueFor(ttfbMillis, family);
            Double perUnit = valueFor(perUnitMillis, family);
            if (ttfb != null) {
                profile = profile.withTtfb(Duration.ofMillis(ttfb));
            }
            if (perUnit != null) {
                profile = profile.withPerUnit(Duration.ofNanos(Math.round(perUnit * 1_000_000)));
            }
            if (jitter != null) {
                profile = profile.withJitter(jitter);
            }
            builder.latency(family, profile);
        }
        return builder.build();
    }

    private ChaosConfig chaos() {
        ChaosConfig.Builder chaos = ChaosConfig.builder()
                .extraLatency(Duration.ofMillis(extraLatencyMillis))
                .extraJitter(Duration.ofMillis(extraJitterMillis))
                .retryAfterSeconds(retryAfterSeconds)
                .stall(Duration.ofMillis(stallMillis));
        failureRates.forEach((kind, rate) -> chaos.failureRate(FaultKind.fromLabel(kind), rate));
        chaosLimits.forEach((family, limit) -> chaos.limit(ModelFamily.fromLabel(family), limit));
        return chaos.build();
    }

    private static <T> T valueFor(Map<String, T> values, ModelFamily family) {
        for (Map.Entry<String, T> entry : values.entrySet()) {
            if (ModelFamily.fromLabel(entry.getKey()) == family) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static Map<String, Integer> limitsOf(Simulator simulator) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ModelFamily family : ModelFamily.values()) {
            out.put(family.label(), simulator.limit(family));
        }
        return out;
    }
}
