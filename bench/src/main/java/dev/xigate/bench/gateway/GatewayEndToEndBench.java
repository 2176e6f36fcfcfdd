package dev.xigate.bench.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.http.Http1Client;
import dev.xigate.http.Http1Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs the gateway's end-to-end benchmarks with the simulator and the gateway as processes of their own, started
 * from the shaded jar exactly as in production ({@code xigate simulate}, {@code xigate serve} with its default
 * stages, metrics and JSON access log), and this JVM as the load generator; writes one JSON result file.
 *
 * <p>Each scenario compares the gateway with a direct call to the same simulator in the same run, through the same
 * lean HTTP/1.1 client, so that the difference is the gateway's hop:
 * <ol>
 *   <li>{@code added_latency_steady}: short TTS responses at a steady rate below capacity, direct and through the
 *       gateway interleaved request by request;</li>
 *   <li>{@code ttfb_stream}: time to the first audio byte of {@code /stream} responses (realistic simulator
 *       latency), interleaved;</li>
 *   <li>in both, when nginx is installed, a third arm through nginx as a plain reverse proxy
 *       ({@link ReferenceProxy}): what one proxy hop costs on the machine at all;</li>
 *   <li>{@code open_loop_1000rps}: 1,000 requests per second, open loop (latency from the intended send time),
 *       against an upstream answering in a fixed 200 ms, so about 200 in flight; direct phase, then gateway;</li>
 *   <li>{@code utilization_3x_overload}: three times the physical capacity (limit / service time) offered to the
 *       gateway; utilization is the simulator's busy slots integrated over time ({@code busy_slot_nanos}) over the
 *       measured window, divided by the limit; its 429s are counted.</li>
 * </ol>
 * Usage, from the repository root after {@code mvn -pl bench,cli -am package}: {@code java -cp
 * bench/target/xigate-bench.jar dev.xigate.bench.gateway.GatewayEndToEndBench [seconds [outDir [scenario,...]]]}
 * (seconds per phase, default 10). Results go to {@code <outDir>/gateway-e2e-<date><tag>.json}. System properties:
 * {@code xigate.root} (repository root, default {@code .}), {@code xigate.bench.tag} (file name suffix),
 * {@code xigate.bench.steadyRatePerArm} (default 100), {@code xigate.bench.openLoopRate} (default 1000),
 * {@code xigate.bench.ttfbRatePerArm} (default 6), {@code xigate.bench.ttfbSeconds} (default 60),
 * {@code xigate.bench.noReference} (leave the nginx arm out),
 * {@code xigate.bench.warmUpSeconds} (default 60), {@code xigate.bench.overloadWarmUpSeconds} (default 10) and
 * {@code xigate.bench.gatewayJvmOptions} (space-separated JVM options for the gateway processes, none by default).
 */
public final class GatewayEndToEndBench {
    private static final String VOICE = "21m00Tcm4TlvDq8ikWAM";
    private static final String TTS_PATH = "/v1/text-to-speech/" + VOICE;
    // Every request speaks a text of its own, as real traffic does: identical requests in flight together would be
    // coalesced by the gateway into one upstream call, which is a feature, not the hop being measured.
    private static final String SHORT_TEXT = "Hi %d.";
    private static final String STREAM_TEXT = "A sentence of moderate length for stream test %d.";
    private static final AtomicLong TEXTS = new AtomicLong();
    private static final String MULTILINGUAL = "eleven_multilingual_v2";
    // Warm-up runs on the fast family where the measured one is slow: the code path is the same, and the JIT needs
    // tens of thousands of requests before a gateway on two shared cores reaches its steady state.
    private static final String FLASH = "eleven_flash_v2_5";
    // A minute: after 15 s of warm-up the C2 compiler was still busy and the gateway's own work on a request took
    // about 430 us at the median; after 90 s, about 80 us (bench/results/probes-2026-12-04b/README.md).
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("xigate.bench.warmUpSeconds", 60));
    private static final String GATEWAY_KEY = "bench-upstream-key";
    // The queueing, hand-off and refusal paths are code the closed-loop warm-up never runs.
    private static final int OVERLOAD_WARM_UP_SECONDS = Integer.getInteger("xigate.bench.overloadWarmUpSeconds", 10);
    private static final int OPEN_LOOP_WARM_UP_SECONDS = 5;
    private static final int TTFB_SECONDS = Integer.getInteger("xigate.bench.ttfbSeconds", 60);
    // Direct calls use an account of their own: the simulator keeps limits per key, like the API per account, and
    // calls on the gateway's account would be (rightly) treated by the gateway as another client's share.
    private static final String DIRECT_KEY = "bench-direct-key";
    private static final String REFERENCE_KEY = "bench-reference-key";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> GATEWAY_JVM_OPTIONS = List.of(System.getProperty(
            "xigate.bench.gatewayJvmOptions", "").split(" ")).stream().filter(option -> !option.isBlank()).toList();

    private final int phaseSeconds;
    private final List<String> only;
    private final Path root;
    private final Path logs;
    private final ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();

    private GatewayEndToEndBench(int phaseSeconds, List<String> only, Path root) throws IOException {
        this.phaseSeconds = phaseSeconds;
        this.only = only;
        this.root = root;
        this.logs = Files.createTempDirectory("xigate-bench-");
    }

    /** Runs the selected scenarios and writes the result file. */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
        Path root = Path.of(System.getProperty("xigate.root", ".")).toAbsolutePath().normalize();
        ObjectNode result = new GatewayEndToEndBench(seconds, only, root).runAll();
        Path out = Path.of(args.length > 1 ? args[1] : "bench/results")
                .resolve("gateway-e2e-" + LocalDate.now() + System.getProperty("xigate.bench.tag", "") + ".json");
        Files.createDirectories(out.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        System.out.println(result.toPrettyString());
        System.out.println("written " + out);
        System.exit(0);
    }

    private ObjectNode runAll() throws Exception {
        Path jar = root.resolve("cli/target/xigate.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + " (build it: mvn -B -ntp -pl cli -am package -DskipTests)");
        }
        ObjectNode rootNode = JsonNodeFactory.instance.objectNode();
        rootNode.put("benchmark", "gateway end-to-end: simulator and gateway as separate processes (xigate simulate,"
                + " xigate serve with default stages, metrics and JSON access log to a file), load generator in this"
                + " JVM with xigate's HTTP/1.1 client for direct and gateway calls alike");
        rootNode.set("machine", BenchMachine.describe());
        rootNode.put("phaseSeconds", phaseSeconds);
        rootNode.put("warmUpSeconds", WARM_UP.toSeconds());
        rootNode.put("logs", logs.toString());
        rootNode.put("gatewayJvmOptions", String.join(" ", GATEWAY_JVM_OPTIONS));
        ArrayNode scenarios = rootNode.putArray("scenarios");
        if (selected("added_latency_steady")) {
            scenarios.add(addedLatencySteady(jar));
        }
        if (selected("ttfb_stream")) {
            scenarios.add(ttfbStream(jar));
        }
        if (selected("open_loop_1000rps")) {
            scenarios.add(openLoop1000(jar));
        }
        if (selected("utilization_3x_overload")) {
            scenarios.add(utilizationUnderOverload(jar));
        }
        rootNode.put("loadAverageAtEnd", BenchMachine.loadAverage());
        return rootNode;
    }

    private boolean selected(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    // ---- scenarios

    private ObjectNode addedLatencySteady(Path jar) throws Exception {
        try (Stack stack = Stack.start(jar, logs, "steady", List.of("--plan", "pro", "--latency-scale", "0"),
                List.of("--plan", "pro"), ""); Targets targets = new Targets(stack);
                Gateway jdkGateway = stack.addGateway(jar, logs, "steady-jdk", List.of("--plan", "pro"),
                        "upstream:\n  http-client: jdk\n");
                Http1Client jdk = Http1Client.builder(jdkGateway.uri()).build();
                Reference reference = Reference.start(stack, logs.resolve("steady-nginx"))) {
            warmUpClosedLoop(targets, MULTILINGUAL, 8, WARM_UP);
            try (Targets jdkTargets = new Targets(stack.simulatorUri, jdkGateway.uri())) {
                warmUpClosedLoop(jdkTargets, MULTILINGUAL, 8, WARM_UP);
            }
            reference.warmUp(this, TTS_PATH, MULTILINGUAL);
            int arms = reference.present() ? 4 : 3;
            int rate = Integer.getInteger("xigate.bench.steadyRatePerArm", 100) * arms;
            Histogram direct = histogram();
            Histogram viaGateway = histogram();
            Histogram viaJdkGateway = histogram();
            Histogram viaReference = histogram();
            long cpuBefore = stack.gatewayCpuNanos();
            runOpenLoop(rate, phaseSeconds, i -> switch (i % arms) {
                case 0 -> timed(targets.direct, DIRECT_KEY, SHORT_TEXT, direct);
                case 1 -> timed(targets.gateway, GATEWAY_KEY, SHORT_TEXT, viaGateway);
                case 2 -> timed(jdk, GATEWAY_KEY, SHORT_TEXT, viaJdkGateway);
                default -> timed(reference.client(), REFERENCE_KEY, SHORT_TEXT, viaReference);
            });
            long cpuNanos = stack.gatewayCpuNanos() - cpuBefore;
            ObjectNode node = scenario("added_latency_steady", "POST /v1/text-to-speech (short text, simulator"
                    + " latency scale 0), " + rate + " req/s in total, interleaved: direct, the gateway (default"
                    + " upstream client http1), a second gateway with upstream.http-client: jdk, and nginx as a"
                    + " plain reverse proxy (the cost of one proxy hop on this machine; when installed)");
            node.set("direct", summary(direct));
            node.set("gateway", summary(viaGateway));
            node.set("gatewayJdkClient", summary(viaJdkGateway));
            node.put("addedP50Ms", ms(viaGateway.getValueAtPercentile(50) - direct.getValueAtPercentile(50)));
            node.put("addedP99Ms", ms(viaGateway.getValueAtPercentile(99) - direct.getValueAtPercentile(99)));
            node.put("addedP50MsJdkClient", ms(viaJdkGateway.getValueAtPercentile(50)
                    - direct.getValueAtPercentile(50)));
            node.put("addedP99MsJdkClient", ms(viaJdkGateway.getValueAtPercentile(99)
                    - direct.getValueAtPercentile(99)));
            reference.report(node, direct, viaReference);
            node.put("gatewayCpuMicrosPerRequest", cpuNanos / 1000 / Math.max(1, viaGateway.getTotalCount()));
            return node;
        }
    }

    private ObjectNode ttfbStream(Path jar) throws Exception {
        // Realistic latency, without jitter: the difference between direct and gateway is then the hop alone.
        // Flash streams answer at once here: they only warm the gateway's stream path up (chunked copy, pump,
        // broadcast), which the short answers of the other warm-ups never run.
        try (Stack stack = Stack.start(jar, logs, "ttfb", List.of("--plan", "pro", "--jitter", "0", "--ttfb-ms",
                "turbo_flash=0", "--per-unit-ms", "turbo_flash=0"), List.of("--plan", "pro"), "");
                Targets targets = new Targets(stack);
                Reference reference = Reference.start(stack, logs.resolve("ttfb-nginx"))) {
            // A stream holds its slot for about a second and a half: 6 req/s per account stays within the plan's
            // 10 multilingual slots, so no arm waits for a slot or gets a 429.
            int arms = reference.present() ? 3 : 2;
            int rate = Integer.getInteger("xigate.bench.ttfbRatePerArm", 6) * arms;
            warmUpClosedLoop(targets, TTS_PATH + "/stream", FLASH, 8, WARM_UP);
            reference.warmUp(this, TTS_PATH + "/stream", FLASH);
            Histogram ignored = histogram();
            runOpenLoop(rate, 4, i -> switch (i % arms) {
                case 0 -> firstByte(targets.direct, DIRECT_KEY, ignored);
                case 1 -> firstByte(targets.gateway, GATEWAY_KEY, ignored);
                default -> firstByte(reference.client(), REFERENCE_KEY, ignored);
            });
            Histogram direct = histogram();
            Histogram viaGateway = histogram();
            Histogram viaReference = histogram();
            // More samples than the other phases: the plan's slots cap the rate, and a p99 of 120 streams would be
            // their second slowest.
            Phase phase = runOpenLoop(rate, TTFB_SECONDS, i -> switch (i % arms) {
                case 0 -> firstByte(targets.direct, DIRECT_KEY, direct);
                case 1 -> firstByte(targets.gateway, GATEWAY_KEY, viaGateway);
                default -> firstByte(reference.client(), REFERENCE_KEY, viaReference);
            });
            ObjectNode node = scenario("ttfb_stream", "POST /v1/text-to-speech/{voice}/stream, time to first audio"
                    + " byte, realistic simulator latency (multilingual ~300 ms, no jitter), " + rate
                    + " req/s interleaved (direct, gateway, and nginx as a plain reverse proxy when installed) for "
                    + TTFB_SECONDS + " s, after a warm-up on streams");
            node.set("direct", summary(direct));
            node.set("gateway", summary(viaGateway));
            node.put("failed", phase.failed.get());
            node.set("failures", phase.failuresJson());
            node.put("addedP50Ms", ms(viaGateway.getValueAtPercentile(50) - direct.getValueAtPercentile(50)));
            node.put("addedP99Ms", ms(viaGateway.getValueAtPercentile(99) - direct.getValueAtPercentile(99)));
            reference.report(node, direct, viaReference);
            return node;
        }
    }

    private ObjectNode openLoop1000(Path jar) throws Exception {
        // Flash answers at once here: it only warms the gateway up, as in the other scenarios.
        List<String> simulator = List.of("--plan", "enterprise", "--limit", "multilingual=2000", "--ttfb-ms",
                "multilingual=200", "--per-unit-ms", "multilingual=0", "--ttfb-ms", "turbo_flash=0",
                "--per-unit-ms", "turbo_flash=0", "--jitter", "0");
        String config = "limits:\n  families:\n    multilingual: 2000\n  queue-capacity: 100000\n"
                + "  queue-timeout: 5m\n";
        try (Stack stack = Stack.start(jar, logs, "open-loop", simulator, List.of("--plan", "enterprise"), config);
                Targets targets = new Targets(stack)) {
            int rate = Integer.getInteger("xigate.bench.openLoopRate", 1_000);
            // Warm the JIT up in a closed loop first: 1,000 req/s at a cold gateway piles thousands of requests up,
            // and the generator keeps the thousands of connections it opened for them, which is a cold start
            // measured for the rest of the run rather than the hop. Then a few seconds at the measured rate.
            warmUpClosedLoop(targets, FLASH, 16, WARM_UP);
            Histogram ignored = histogram();
            runOpenLoop(rate, OPEN_LOOP_WARM_UP_SECONDS, i -> timed(targets.gateway, GATEWAY_KEY, SHORT_TEXT,
                    ignored));
            runOpenLoop(rate, 3, i -> timed(targets.direct, DIRECT_KEY, SHORT_TEXT, ignored));
            Histogram direct = histogram();
            Phase directPhase = runOpenLoop(rate, phaseSeconds,
                    i -> timed(targets.direct, DIRECT_KEY, SHORT_TEXT, direct));
            Histogram viaGateway = histogram();
            long cpuBefore = stack.gatewayCpuNanos();
            Phase gatewayPhase = runOpenLoop(rate, phaseSeconds,
                    i -> timed(targets.gateway, GATEWAY_KEY, SHORT_TEXT, viaGateway));
            long cpuNanos = stack.gatewayCpuNanos() - cpuBefore;
            ObjectNode node = scenario("open_loop_1000rps", rate + " req/s open loop (latency from intended send"
                    + " time), upstream fixed 200 ms, about " + rate / 5 + " in flight; direct phase, then gateway;"
                    + " after a closed-loop warm-up and " + OPEN_LOOP_WARM_UP_SECONDS + " s at the rate");
            node.put("ratePerSecond", rate);
            node.set("direct", summary(direct).put("failed", directPhase.failed.get())
                    .put("maxInFlight", directPhase.maxInFlight.get()).set("failures", directPhase.failuresJson()));
            node.set("gateway", summary(viaGateway).put("failed", gatewayPhase.failed.get())
                    .put("maxInFlight", gatewayPhase.maxInFlight.get()).set("failures", gatewayPhase.failuresJson()));
            node.put("addedP50Ms", ms(viaGateway.getValueAtPercentile(50) - direct.getValueAtPercentile(50)));
            node.put("addedP99Ms", ms(viaGateway.getValueAtPercentile(99) - direct.getValueAtPercentile(99)));
            node.put("gatewayCpuMicrosPerRequest", cpuNanos / 1000 / Math.max(1, viaGateway.getTotalCount()));
            return node;
        }
    }

    private ObjectNode utilizationUnderOverload(Path jar) throws Exception {
        int limit = 10;
        long serviceMillis = 200;
        List<String> simulator = List.of("--plan", "pro", "--ttfb-ms", "multilingual=" + serviceMillis,
                "--per-unit-ms", "multilingual=0", "--jitter", "0");
        try (Stack stack = Stack.start(jar, logs, "overload", simulator, List.of("--plan", "pro"), "");
                Targets targets = new Targets(stack)) {
            warmUpClosedLoop(targets, FLASH, 16, WARM_UP);
            double capacityPerSecond = limit * 1000.0 / serviceMillis;
            int rate = (int) Math.round(3 * capacityPerSecond);
            // Baseline in the same run: exactly `limit` clients calling the simulator directly, back to back.
            // Whatever idles the upstream here is the machine and the loopback, not the gateway.
            AtomicLong directCompleted = new AtomicLong();
            long directEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(phaseSeconds);
            List<CompletableFuture<?>> workers = new ArrayList<>();
            for (int w = 0; w < limit; w++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    while (System.nanoTime() < directEnd) {
                        try (Http1Response response = send(targets.direct, DIRECT_KEY, SHORT_TEXT)) {
                            response.body().readAllBytes();
                            if (response.status() == 200) {
                                directCompleted.incrementAndGet();
                            }
                        } catch (IOException | InterruptedException e) {
                            return;
                        }
                    }
                }, clientThreads));
            }
            Window directWindow = Window.after(stack, Duration.ofSeconds(1));
            LockSupport.parkNanos(directEnd - System.nanoTime());
            double directUtilization = directWindow.utilization(limit);
            double directPerSecond = directWindow.completedPerSecond();
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();

            // Overload the gateway once before measuring, as a gateway in production has long compiled those paths.
            // This also checks that a burst winding down leaves the pool at its full size for the next one.
            if (OVERLOAD_WARM_UP_SECONDS > 0) {
                Histogram discarded = histogram();
                runOpenLoopNoWait(rate, OVERLOAD_WARM_UP_SECONDS, i -> timed(targets.gateway, GATEWAY_KEY,
                        SHORT_TEXT, discarded)).awaitAll();
            }
            Histogram viaGateway = histogram();
            Phase phase = runOpenLoopNoWait(rate, phaseSeconds,
                    i -> timed(targets.gateway, GATEWAY_KEY, SHORT_TEXT, viaGateway));
            // The window opens after the first second, once the queue is full and the first wave is running, and
            // closes when the offered load ends, before the queue drains.
            Window window = Window.after(stack, Duration.ofSeconds(1));
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(phaseSeconds - 1));
            double utilization = window.utilization(limit);
            double completedPerSecond = window.completedPerSecond();
            int poolLimitAtEnd = stack.gatewayPoolLimit("multilingual");
            phase.awaitAll();
            JsonNode family = stack.simulatorStats().path("families").path("multilingual");
            ObjectNode node = scenario("utilization_3x_overload", "offered " + rate + " req/s = 3x the physical"
                    + " capacity of limit " + limit + " / service " + serviceMillis + " ms = " + capacityPerSecond
                    + " req/s; utilization = the simulator's busy slot-time over the window / (limit x window),"
                    + " window from 1 s after the start to the end of the offered load, after an overload warm-up"
                    + " of " + OVERLOAD_WARM_UP_SECONDS + " s");
            node.put("offeredPerSecond", rate);
            node.put("capacityPerSecond", capacityPerSecond);
            node.put("upstreamUtilization", utilization);
            node.put("directClosedLoopUtilization", directUtilization);
            node.put("utilizationRatioGatewayOverDirect", utilization / directUtilization);
            node.put("completedPerSecond", completedPerSecond);
            node.put("throughputOverCapacity", completedPerSecond / capacityPerSecond);
            node.put("directClosedLoopCompletedPerSecond", directPerSecond);
            node.put("upstream429s", family.path("concurrency_rejections").asLong());
            node.put("gatewayPoolLimitAtEnd", poolLimitAtEnd);
            node.put("upstreamMaxConcurrency", family.path("max_concurrency").asInt());
            node.put("sent", phase.sent.get());
            node.put("rejectedByGateway", phase.failed.get());
            node.set("gatewayFailures", phase.failuresJson());
            node.set("gatewayLatencyOfCompleted", summary(viaGateway));
            return node;
        }
    }

    /**
     * A measuring window over the simulator's statistics: busy slot-time and completed requests between its
     * opening and the moment it is read. The simulator keeps one account per key; both keys' requests are in the
     * same family, so each window is used while only one of them is sending.
     */
    private record Window(Stack stack, long startNanos, long busyAtStart, long completedAtStart) {
        static Window after(Stack stack, Duration delay) throws IOException, InterruptedException {
            LockSupport.parkNanos(delay.toNanos());
            JsonNode family = stack.simulatorStats().path("families").path("multilingual");
            return new Window(stack, System.nanoTime(), family.path("busy_slot_nanos").asLong(),
                    family.path("responses").path("200").asLong());
        }

        double utilization(int limit) throws IOException, InterruptedException {
            JsonNode family = stack.simulatorStats().path("families").path("multilingual");
            long elapsed = System.nanoTime() - startNanos;
            return (family.path("busy_slot_nanos").asLong() - busyAtStart) / (double) elapsed / limit;
        }

        double completedPerSecond() throws IOException, InterruptedException {
            JsonNode family = stack.simulatorStats().path("families").path("multilingual");
            long elapsed = System.nanoTime() - startNanos;
            return (family.path("responses").path("200").asLong() - completedAtStart) / (elapsed / 1e9);
        }
    }

    // ---- processes

    /** A simulator and a gateway in front of it, each a process of its own. */
    private static final class Stack implements AutoCloseable {
        private final ChildProcess simulator;
        private final ChildProcess gateway;
        private final URI simulatorUri;
        private final URI gatewayUri;
        private final Http1Client admin;
        private final Http1Client gatewayAdmin;

        private Stack(ChildProcess simulator, ChildProcess gateway, URI simulatorUri, URI gatewayUri,
                URI gatewayAdminUri) {
            this.simulator = simulator;
            this.gateway = gateway;
            this.simulatorUri = simulatorUri;
            this.gatewayUri = gatewayUri;
            this.admin = Http1Client.builder(simulatorUri).build();
            this.gatewayAdmin = Http1Client.builder(gatewayAdminUri).build();
        }

        static Stack start(Path jar, Path logs, String name, List<String> simulatorFlags, List<String> gatewayFlags,
                String gatewayConfig) throws IOException, InterruptedException {
            int simPort = ChildProcess.freePort();
            URI simUri = URI.create("http://127.0.0.1:" + simPort);
            List<String> simArgs = new ArrayList<>(List.of("simulate", "--port", String.valueOf(simPort),
                    "--character-limit", "1000000000000"));
            simArgs.addAll(simulatorFlags);
            ChildProcess sim = ChildProcess.start("simulator", jar, List.of(), simArgs, Map.of(),
                    logs.resolve(name + "-simulator.log"), simUri.resolve("/_sim/stats"));
            try {
                Gateway gw = startGateway(jar, logs, name, simUri, gatewayFlags, gatewayConfig);
                return new Stack(sim, gw.process(), simUri, gw.uri(), gw.adminUri());
            } catch (IOException | InterruptedException | RuntimeException e) {
                sim.close();
                throw e;
            }
        }

        /** Starts one more gateway in front of this stack's simulator. */
        Gateway addGateway(Path jar, Path logs, String name, List<String> flags, String config)
                throws IOException, InterruptedException {
            return startGateway(jar, logs, name, simulatorUri, flags, config);
        }

        private static Gateway startGateway(Path jar, Path logs, String name, URI simUri, List<String> flags,
                String config) throws IOException, InterruptedException {
            int port = ChildProcess.freePort();
            int adminPort = ChildProcess.freePort();
            Path configFile = logs.resolve(name + "-gateway.yaml");
            Files.writeString(configFile, config);
            List<String> args = new ArrayList<>(List.of("serve", "--config", configFile.toString(), "--port",
                    String.valueOf(port), "--admin-port", String.valueOf(adminPort), "--upstream", simUri.toString()));
            args.addAll(flags);
            ChildProcess process = ChildProcess.start("gateway", jar, GATEWAY_JVM_OPTIONS, args,
                    Map.of("ELEVENLABS_API_KEY", GATEWAY_KEY), logs.resolve(name + "-gateway.log"),
                    URI.create("http://127.0.0.1:" + adminPort + "/health/live"));
            return new Gateway(process, URI.create("http://127.0.0.1:" + port),
                    URI.create("http://127.0.0.1:" + adminPort));
        }

        JsonNode simulatorStats() throws IOException, InterruptedException {
            try (Http1Response response = admin.send("GET", "/_sim/stats", Map.of(), new byte[0], TIMEOUT)) {
                return JSON.readTree(response.body().readAllBytes());
            }
        }

        /** Returns the gateway's effective pool limit of the family, from its Prometheus metrics; -1 if absent. */
        int gatewayPoolLimit(String family) throws IOException, InterruptedException {
            String metrics;
            try (Http1Response response = gatewayAdmin.send("GET", "/metrics", Map.of(), new byte[0], TIMEOUT)) {
                metrics = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String line : metrics.split("\n")) {
                if (line.startsWith("elevenlabs_concurrency_limit{") && line.contains("family=\"" + family + "\"")) {
                    return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return -1;
        }

        /** Returns the gateway process's CPU time (user and system) so far. */
        long gatewayCpuNanos() {
            try {
                String[] fields = Files.readString(Path.of("/proc/" + gateway.pid() + "/stat")).split(" ");
                long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                return ticks * 10_000_000L;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        @Override
        public void close() throws InterruptedException {
            admin.close();
            gatewayAdmin.close();
            try {
                gateway.close();
            } finally {
                simulator.close();
            }
        }
    }

    /**
     * The nginx arm of a scenario, or nothing when nginx is not installed (the result then says so). Calls through
     * it use an account of their own at the simulator, like the direct calls.
     */
    private static final class Reference implements AutoCloseable {
        private final ReferenceProxy proxy;
        private final Http1Client client;

        private Reference(ReferenceProxy proxy) {
            this.proxy = proxy;
            this.client = proxy == null ? null : Http1Client.builder(proxy.uri()).maxIdleConnections(4096).build();
        }

        static Reference start(Stack stack, Path dir) throws IOException, InterruptedException {
            Optional<Path> nginx = ReferenceProxy.binary();
            if (nginx.isEmpty() || Boolean.getBoolean("xigate.bench.noReference")) {
                return new Reference(null);
            }
            return new Reference(ReferenceProxy.start(nginx.get(), stack.simulatorUri, dir));
        }

        boolean present() {
            return proxy != null;
        }

        Http1Client client() {
            return client;
        }

        /** A short closed loop through nginx, so that its upstream keep-alive connections are open. */
        void warmUp(GatewayEndToEndBench bench, String path, String model) {
            if (present()) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                List<CompletableFuture<?>> calls = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    calls.add(CompletableFuture.runAsync(() -> {
                        while (System.nanoTime() < end) {
                            try (Http1Response response = send(client, path, REFERENCE_KEY, SHORT_TEXT, model)) {
                                response.body().readAllBytes();
                            } catch (IOException | InterruptedException e) {
                                return;
                            }
                        }
                    }, bench.clientThreads));
                }
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            }
        }

        void report(ObjectNode node, Histogram direct, Histogram viaReference) {
            if (!present()) {
                node.put("referenceProxy", "nginx not installed; arm left out");
                return;
            }
            node.put("referenceProxy", proxy.version() + ", one worker, keep-alive upstream, no buffering");
            node.set("nginx", summary(viaReference));
            node.put("nginxAddedP50Ms", ms(viaReference.getValueAtPercentile(50) - direct.getValueAtPercentile(50)));
            node.put("nginxAddedP99Ms", ms(viaReference.getValueAtPercentile(99) - direct.getValueAtPercentile(99)));
        }

        @Override
        public void close() throws InterruptedException {
            if (present()) {
                client.close();
                proxy.close();
            }
        }
    }

    /** A gateway process and where it listens. */
    private record Gateway(ChildProcess process, URI uri, URI adminUri) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.close();
        }
    }

    /** The two lean clients of a scenario: one to the simulator, one to the gateway. */
    private static final class Targets implements AutoCloseable {
        final Http1Client direct;
        final Http1Client gateway;

        Targets(Stack stack) {
            this(stack.simulatorUri, stack.gatewayUri);
        }

        Targets(URI simulator, URI gatewayUri) {
            this.direct = Http1Client.builder(simulator).maxIdleConnections(4096).build();
            this.gateway = Http1Client.builder(gatewayUri).maxIdleConnections(4096).build();
        }

        @Override
        public void close() {
            direct.close();
            gateway.close();
        }
    }

    // ---- load generation

    /** A running phase's counters. */
    private static final class Phase {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        final List<CompletableFuture<?>> calls = new ArrayList<>();
        volatile Thread pacer;

        /** Waits until every request of the phase was sent and has finished. */
        void awaitAll() {
            try {
                pacer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            CompletableFuture<?>[] all;
            synchronized (calls) {
                all = calls.toArray(CompletableFuture[]::new);
            }
            CompletableFuture.allOf(all).join();
        }

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

    /** One request of a phase, made at its intended time on a virtual thread; records its own latency. */
    @FunctionalInterface
    private interface Call {
        Sample start(int index);
    }

    /** A request in the making. */
    @FunctionalInterface
    private interface Sample {
        /** Returns the HTTP status (200 counts as success). */
        int run(long intendedNanos) throws Exception;
    }

    private void warmUpClosedLoop(Targets targets, String model, int workers, Duration duration) {
        warmUpClosedLoop(targets, TTS_PATH, model, workers, duration);
    }

    private void warmUpClosedLoop(Targets targets, String path, String model, int workers, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            calls.add(CompletableFuture.runAsync(() -> {
                while (System.nanoTime() < end) {
                    for (Http1Client client : List.of(targets.direct, targets.gateway)) {
                        String key = client == targets.direct ? DIRECT_KEY : GATEWAY_KEY;
                        try (Http1Response response = send(client, path, key, SHORT_TEXT, model)) {
                            response.body().readAllBytes();
                        } catch (IOException | InterruptedException e) {
                            return;
                        }
                    }
                }
            }, clientThreads));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    }

    private Phase runOpenLoop(int ratePerSecond, int seconds, Call call) {
        Phase phase = runOpenLoopNoWait(ratePerSecond, seconds, call);
        phase.awaitAll();
        return phase;
    }

    private Phase runOpenLoopNoWait(int ratePerSecond, int seconds, Call call) {
        Phase phase = new Phase();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long total = (long) ratePerSecond * seconds;
        long start = System.nanoTime();
        Thread pacer = Thread.ofPlatform().name("bench-pacer").start(() -> {
            for (int i = 0; i < total; i++) {
                long intended = start + i * intervalNanos;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Sample sample = call.start(i);
                phase.sent.incrementAndGet();
                CompletableFuture<?> done = CompletableFuture.runAsync(() -> {
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
                }, clientThreads);
                synchronized (phase.calls) {
                    phase.calls.add(done);
                }
            }
        });
        phase.pacer = pacer;
        return phase;
    }

    private static byte[] body(String textFormat, String model) {
        String text = String.format(textFormat, TEXTS.incrementAndGet());
        return ("{\"text\":\"" + text + "\",\"model_id\":\"" + model + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static Http1Response send(Http1Client client, String key, String textFormat)
            throws IOException, InterruptedException {
        return send(client, key, textFormat, MULTILINGUAL);
    }

    private static Http1Response send(Http1Client client, String key, String textFormat, String model)
            throws IOException, InterruptedException {
        return send(client, TTS_PATH, key, textFormat, model);
    }

    private static Http1Response send(Http1Client client, String path, String key, String textFormat, String model)
            throws IOException, InterruptedException {
        return client.send("POST", path, Map.of("xi-api-key", List.of(key), "content-type",
                List.of("application/json")), body(textFormat, model), TIMEOUT);
    }

    private static Sample timed(Http1Client client, String key, String textFormat, Histogram histogram) {
        return intended -> {
            try (Http1Response response = send(client, key, textFormat)) {
                response.body().readAllBytes();
                if (response.status() == 200) {
                    record(histogram, System.nanoTime() - intended);
                }
                return response.status();
            }
        };
    }

    private static Sample firstByte(Http1Client client, String key, Histogram histogram) {
        return intended -> {
            try (Http1Response response = send(client, TTS_PATH + "/stream", key, STREAM_TEXT, MULTILINGUAL)) {
                InputStream body = response.body();
                if (response.status() != 200 || body.read() < 0) {
                    return response.status() == 200 ? -1 : response.status();
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

    // ---- output

    private static Histogram histogram() {
        // Four significant digits: at 200-300 ms, three would resolve only 0.13-0.26 ms, too coarse for differences
        // of a few tenths of a millisecond.
        return new Histogram(TimeUnit.MINUTES.toMicros(10), 4);
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
