package dev.xigate.bench.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.gateway.Gateway;
import dev.xigate.gateway.LimiterFactory;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.LimitSettings;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.LatencyProfile;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs the gateway's end-to-end benchmarks side by side in one JVM and writes one JSON result file.
 *
 * <p>Scenarios, each comparing the gateway with a direct call to the same simulator in the same run:
 * <ol>
 *   <li>{@code added_latency_steady}: short TTS responses at a steady rate below capacity, direct and through the
 *       gateway interleaved request by request;</li>
 *   <li>{@code ttfb_stream}: time to the first audio byte of {@code /stream} responses, interleaved;</li>
 *   <li>{@code open_loop_1000rps}: 1,000 requests per second, open loop (latency measured from the intended send
 *       time), against an upstream answering in a fixed 200 ms, so about 200 are in flight; direct, then gateway;</li>
 *   <li>{@code utilization_3x_overload}: three times the physical capacity (limit / service time) offered to the
 *       gateway; the simulator's busy slots are sampled to give upstream utilization, and its 429s counted.</li>
 * </ol>
 * Usage: {@code java -cp bench/target/xigate-bench.jar dev.xigate.bench.gateway.GatewayEndToEndBench [seconds
 * [outDir [scenario,...]]]} (seconds per phase, default 8; every scenario by default). Results go to
 * {@code <outDir>/gateway-e2e-<date><tag>.json}, {@code bench/results} by default. System properties:
 * {@code xigate.bench.openLoopRate} (default 1000) and {@code xigate.bench.tag} (a file name suffix).
 */
public final class GatewayEndToEndBench {
    private static final String VOICE = Simulator.DEFAULT_VOICE_ID;
    private static final String SHORT_BODY = "{\"text\":\"Hi.\",\"model_id\":\"eleven_multilingual_v2\"}";
    private static final String KEY = "bench-upstream-key";
    // Direct calls use an account of their own: the simulator keeps limits per key, like the API per account, and
    // calls on the gateway's account would be (rightly) treated by the gateway as another client's share.
    private static final String DIRECT_KEY = "bench-direct-key";

    private final int phaseSeconds;
    private final List<String> only;
    private final ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(clientThreads).connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayEndToEndBench(int phaseSeconds, List<String> only) {
        this.phaseSeconds = phaseSeconds;
        this.only = only;
    }

    /** Runs every scenario and writes the result file. */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
        ObjectNode result = new GatewayEndToEndBench(seconds, only).runAll();
        Path out = Path.of(args.length > 1 ? args[1] : "bench/results")
                .resolve("gateway-e2e-" + LocalDate.now() + System.getProperty("xigate.bench.tag", "") + ".json");
        Files.createDirectories(out.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        System.out.println(result.toPrettyString());
        System.out.println("written " + out);
        System.exit(0);
    }

    private ObjectNode runAll() throws Exception {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("benchmark", "gateway end-to-end (gateway and simulator in one JVM with the load generator)");
        root.set("machine", BenchMachine.describe());
        root.put("phaseSeconds", phaseSeconds);
        ArrayNode scenarios = root.putArray("scenarios");
        if (selected("added_latency_steady")) {
            scenarios.add(addedLatencySteady());
        }
        if (selected("ttfb_stream")) {
            scenarios.add(ttfbStream());
        }
        if (selected("open_loop_1000rps")) {
            scenarios.add(openLoop1000());
        }
        if (selected("utilization_3x_overload")) {
            scenarios.add(utilizationUnderOverload());
        }
        root.put("loadAverageAtEnd", BenchMachine.loadAverage());
        return root;
    }

    private boolean selected(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    // ---- scenarios

    private ObjectNode addedLatencySteady() throws Exception {
        try (Simulator sim = simulator(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.0));
                Gateway gateway = gateway(sim, Map.of())) {
            warmUp(sim, gateway);
            Histogram direct = histogram();
            Histogram viaGateway = histogram();
            int rate = 100;
            runOpenLoop(rate, phaseSeconds, i -> i % 2 == 0
                    ? timed(convert(sim.baseUri().toString(), DIRECT_KEY), direct)
                    : timed(convert(gatewayUrl(gateway)), viaGateway));
            ObjectNode node = scenario("added_latency_steady",
                    "POST /v1/text-to-speech (short text, simulator latency scale 0), " + rate
                            + " req/s in total, direct and via gateway interleaved");
            node.set("direct", summary(direct));
            node.set("gateway", summary(viaGateway));
            node.put("addedP50Ms", ms(viaGateway.getValueAtPercentile(50) - direct.getValueAtPercentile(50)));
            node.put("addedP99Ms", ms(viaGateway.getValueAtPercentile(99) - direct.getValueAtPercentile(99)));
            return node;
        }
    }

    private ObjectNode ttfbStream() throws Exception {
        try (Simulator sim = simulator(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(1.0));
                Gateway gateway = gateway(sim, Map.of())) {
            warmUp(sim, gateway);
            Histogram direct = histogram();
            Histogram viaGateway = histogram();
            int rate = 16;
            runOpenLoop(rate, phaseSeconds, i -> i % 2 == 0
                    ? firstByte(sim.baseUri().toString(), DIRECT_KEY, direct)
                    : firstByte(gatewayUrl(gateway), KEY, viaGateway));
            ObjectNode node = scenario("ttfb_stream", "POST /v1/text-to-speech/{voice}/stream, time to first audio"
                    + " byte, realistic simulator latency (multilingual ~300 ms), " + rate + " req/s interleaved");
            node.set("direct", summary(direct));
            node.set("gateway", summary(viaGateway));
            node.put("addedP50Ms", ms(viaGateway.getValueAtPercentile(50) - direct.getValueAtPercentile(50)));
            node.put("addedP99Ms", ms(viaGateway.getValueAtPercentile(99) - direct.getValueAtPercentile(99)));
            return node;
        }
    }

    private ObjectNode openLoop1000() throws Exception {
        SimulatorConfig.Builder config = SimulatorConfig.builder().plan(PlanTier.ENTERPRISE)
                .limit(ModelFamily.MULTILINGUAL, 2_000)
                .latency(ModelFamily.MULTILINGUAL, new LatencyProfile(Duration.ofMillis(200), Duration.ZERO, 0.0));
        try (Simulator sim = simulator(config);
                Gateway gateway = gateway(sim, Map.of("multilingual", 2_000))) {
            warmUp(sim, gateway);
            int rate = Integer.getInteger("xigate.bench.openLoopRate", 1_000);
            Histogram direct = histogram();
            Phase directPhase = runOpenLoop(rate, phaseSeconds,
                    i -> timed(convert(sim.baseUri().toString(), DIRECT_KEY), direct));
            Histogram viaGateway = histogram();
            Phase gatewayPhase = runOpenLoop(rate, phaseSeconds, i -> timed(convert(gatewayUrl(gateway)), viaGateway));
            ObjectNode node = scenario("open_loop_1000rps", rate + " req/s open loop (latency from intended send"
                    + " time), upstream fixed 200 ms, about " + rate / 5 + " in flight; direct phase, then gateway");
            node.put("ratePerSecond", rate);
            node.set("direct", summary(direct).put("failed", directPhase.failed.get())
                    .put("maxInFlight", directPhase.maxInFlight.get()).set("failures", directPhase.failuresJson()));
            node.set("gateway", summary(viaGateway).put("failed", gatewayPhase.failed.get())
                    .put("maxInFlight", gatewayPhase.maxInFlight.get()).set("failures", gatewayPhase.failuresJson()));
            node.put("addedP50Ms", ms(viaGateway.getValueAtPercentile(50) - direct.getValueAtPercentile(50)));
            node.put("addedP99Ms", ms(viaGateway.getValueAtPercentile(99) - direct.getValueAtPercentile(99)));
            return node;
        }
    }

    private ObjectNode utilizationUnderOverload() throws Exception {
        int limit = PlanTier.PRO.concurrencyLimit(ModelFamily.MULTILINGUAL);
        long serviceMillis = 200;
        SimulatorConfig.Builder config = SimulatorConfig.builder().plan(PlanTier.PRO)
                .latency(ModelFamily.MULTILINGUAL,
                        new LatencyProfile(Duration.ofMillis(serviceMillis), Duration.ZERO, 0.0));
        try (Simulator sim = simulator(config);
                Gateway gateway = gateway(sim, Map.of())) {
            warmUp(sim, gateway);
            sim.resetStats();
            double capacityPerSecond = limit * 1000.0 / serviceMillis;
            int rate = (int) Math.round(3 * capacityPerSecond);
            // Baseline in the same run: exactly `limit` clients calling the simulator directly, back to back.
            // Whatever idles the upstream here is the machine and the loopback, not the gateway.
            UtilizationSampler directSampler = UtilizationSampler.start(sim, limit);
            AtomicLong directCompleted = new AtomicLong();
            long directStart = System.nanoTime();
            List<CompletableFuture<?>> workers = new ArrayList<>();
            long directEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(phaseSeconds);
            for (int w = 0; w < limit; w++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    while (System.nanoTime() < directEnd) {
                        try {
                            HttpResponse<Void> response = http.send(convert(sim.baseUri().toString(), DIRECT_KEY),
                                    HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() == 200) {
                                directCompleted.incrementAndGet();
                            }
                        } catch (IOException | InterruptedException e) {
                            return;
                        }
                    }
                }, clientThreads));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
            double directUtilization = directSampler.stop();
            double directPerSecond = directCompleted.get() / ((System.nanoTime() - directStart) / 1e9);
            sim.resetStats();
            UtilizationSampler gatewaySampler = UtilizationSampler.start(sim, limit);
            Histogram viaGateway = histogram();
            long completedBefore = sim.stats().family(ModelFamily.MULTILINGUAL).responses(200);
            long start = System.nanoTime();
            Phase phase = runOpenLoopNoWait(rate, phaseSeconds, i -> timed(convert(gatewayUrl(gateway)), viaGateway));
            double elapsedSeconds = (System.nanoTime() - start) / 1e9;
            double utilization = gatewaySampler.stop();
            var stats = sim.stats().family(ModelFamily.MULTILINGUAL);
            long completed = stats.responses(200) - completedBefore;
            ObjectNode node = scenario("utilization_3x_overload", "offered " + rate + " req/s = 3x the physical"
                    + " capacity of limit " + limit + " / service " + serviceMillis + " ms = " + capacityPerSecond
                    + " req/s; utilization = mean sampled busy upstream slots / limit (first second skipped)");
            node.put("offeredPerSecond", rate);
            node.put("capacityPerSecond", capacityPerSecond);
            node.put("upstreamUtilization", utilization);
            node.put("directClosedLoopUtilization", directUtilization);
            node.put("utilizationRatioGatewayOverDirect", utilization / directUtilization);
            node.put("completedPerSecond", completed / elapsedSeconds);
            node.put("throughputOverCapacity", completed / elapsedSeconds / capacityPerSecond);
            node.put("directClosedLoopCompletedPerSecond", directPerSecond);
            node.put("throughputRatioGatewayOverDirect", completed / elapsedSeconds / directPerSecond);
            node.put("upstream429s", stats.concurrencyRejections());
            node.put("upstreamMaxConcurrency", stats.maxConcurrency());
            node.put("sent", phase.sent.get());
            node.set("gatewayLatencyOfCompleted", summary(viaGateway));
            return node;
        }
    }

    /** Samples the simulator's busy slots of the multilingual family every 2 ms, after a first second. */
    private static final class UtilizationSampler {
        private final AtomicLong samples = new AtomicLong();
        private final AtomicLong busySum = new AtomicLong();
        private final int limit;
        private Thread thread;

        private UtilizationSampler(int limit) {
            this.limit = limit;
        }

        static UtilizationSampler start(Simulator sim, int limit) {
            UtilizationSampler sampler = new UtilizationSampler(limit);
            sampler.thread = Thread.ofPlatform().daemon().start(() -> {
                // Skip the first second, while the queue fills and the first wave starts.
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                while (!Thread.currentThread().isInterrupted()) {
                    sampler.busySum.addAndGet(sim.stats().family(ModelFamily.MULTILINGUAL).currentConcurrency());
                    sampler.samples.incrementAndGet();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
            });
            return sampler;
        }

        /** Stops sampling; returns mean busy slots over the limit. */
        double stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
            return samples.get() == 0 ? 0 : busySum.get() / (double) samples.get() / limit;
        }
    }

    // ---- load generation

    /** A running phase's counters. */
    private static final class Phase {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Map<String, AtomicInteger> failures = new java.util.concurrent.ConcurrentHashMap<>();
        final List<CompletableFuture<?>> calls = new ArrayList<>();

        void fail(String reason) {
            failed.incrementAndGet();
            failures.computeIfAbsent(reason, key -> new AtomicInteger()).incrementAndGet();
        }

        ObjectNode failuresJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            failures.forEach((reason, count) -> node.put(reason, count.get()));
            return node;
        }
    }

    /** One request of a phase: returns when it has finished; records its own latency. */
    @FunctionalInterface
    private interface Call {
        Sample start(int index);
    }

    /** A request in the making: it is started at its intended time and runs on a virtual thread. */
    @FunctionalInterface
    private interface Sample {
        /** Returns the HTTP status (200 counts as success). */
        int run(long intendedNanos) throws Exception;
    }

    private Phase runOpenLoop(int ratePerSecond, int seconds, Call call) {
        Phase phase = runOpenLoopNoWait(ratePerSecond, seconds, call);
        CompletableFuture.allOf(phase.calls.toArray(CompletableFuture[]::new)).join();
        return phase;
    }

    private Phase runOpenLoopNoWait(int ratePerSecond, int seconds, Call call) {
        Phase phase = new Phase();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long total = (long) ratePerSecond * seconds;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long intended = start + i * intervalNanos;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Sample sample = call.start(i);
            phase.sent.incrementAndGet();
            phase.calls.add(CompletableFuture.runAsync(() -> {
                phase.maxInFlight.accumulateAndGet(phase.inFlight.incrementAndGet(), Math::max);
                try {
                    int status = sample.run(intended);
                    if (status != 200) {
                        phase.fail("status_" + status);
                    }
                } catch (Exception e) {
                    phase.fail(e.getClass().getSimpleName());
                } finally {
                    phase.inFlight.decrementAndGet();
                }
            }, clientThreads));
        }
        return phase;
    }

    private Sample timed(HttpRequest request, Histogram histogram) {
        return intended -> {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                record(histogram, System.nanoTime() - intended);
            }
            return response.statusCode();
        };
    }

    private Sample firstByte(String base, String apiKey, Histogram histogram) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/text-to-speech/" + VOICE + "/stream"))
                .header("xi-api-key", apiKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"A sentence of moderate length for a stream"
                        + " test.\",\"model_id\":\"eleven_multilingual_v2\"}")).build();
        return intended -> {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200 || body.read() < 0) {
                    return response.statusCode() == 200 ? -1 : response.statusCode();
                }
                record(histogram, System.nanoTime() - intended);
                body.readAllBytes();
                return 200;
            }
        };
    }

    private static synchronized void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(1, nanos / 1_000));
    }

    private HttpRequest convert(String base) {
        return convert(base, KEY);
    }

    private HttpRequest convert(String base, String apiKey) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/text-to-speech/" + VOICE))
                .header("xi-api-key", apiKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SHORT_BODY)).build();
    }

    private void warmUp(Simulator sim, Gateway gateway) {
        // Ten at a time, so that warming up stays short even against a slow simulated upstream.
        for (int round = 0; round < 20; round++) {
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(http.sendAsync(convert(sim.baseUri().toString(), DIRECT_KEY),
                        HttpResponse.BodyHandlers.discarding()));
                calls.add(http.sendAsync(convert(gatewayUrl(gateway)), HttpResponse.BodyHandlers.discarding()));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        }
        sim.resetStats();
    }

    // ---- set-up and output

    private static Simulator simulator(SimulatorConfig.Builder config) {
        return Simulator.start(config.host("127.0.0.1").port(0).build());
    }

    private static Gateway gateway(Simulator sim, Map<String, Integer> familyLimits) {
        GatewayConfig config = GatewayConfig.ofDefaults()
                .withPlan(sim.config().plan().label())
                .withServer(ServerSettings.ofDefaults().withPort(0).withAdminPort(0))
                .withUpstream(UpstreamSettings.ofDefaults().withUrl(sim.baseUri().toString()))
                .withLimits(new LimitSettings(familyLimits, 100_000, Duration.ofMinutes(5), true));
        return Gateway.builder(config).limiter(LimiterFactory.inMemory(config)).apiKey(KEY).accessLog(false).start();
    }

    private static String gatewayUrl(Gateway gateway) {
        return "http://127.0.0.1:" + gateway.port();
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    }

    private static ObjectNode scenario(String name, String description) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.put("description", description);
        return node;
    }

    private static ObjectNode summary(Histogram histogram) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("count", histogram.getTotalCount());
        node.put("p50Ms", ms(histogram.getValueAtPercentile(50)));
        node.put("p90Ms", ms(histogram.getValueAtPercentile(90)));
        node.put("p99Ms", ms(histogram.getValueAtPercentile(99)));
        node.put("maxMs", ms(histogram.getMaxValue()));
        node.put("meanMs", Math.round(histogram.getMean()) / 1000.0);
        return node;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
