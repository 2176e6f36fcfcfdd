package dev.xigate.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.xigate.loadtest.LoadMode;
import dev.xigate.loadtest.LoadPattern;
import dev.xigate.loadtest.LoadRunner;
import dev.xigate.loadtest.LoadtestConfig;
import dev.xigate.loadtest.RequestSender;
import dev.xigate.loadtest.Scenario;
import dev.xigate.loadtest.Summary;
import dev.xigate.plan.PlanTier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs the end-to-end benchmark suite side by side in one process and writes its JSON and markdown results:
 * proxy overhead (direct to the simulator, through xigate, through nginx) and the value of queueing (SDK-like
 * clients with retries calling the simulator directly, against the same clients calling xigate, under overload).
 * The processes under test are started by {@code bench/run-suite.sh}; this main only sends load and reports.
 */
public final class SuiteMain {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, String> options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SuiteMain(Map<String, String> options) {
        this.options = options;
    }

    /**
     * Runs the suite. Options ({@code --name value}): {@code --direct}, {@code --xigate}, {@code --nginx} (fast
     * upstream URLs), {@code --queue-direct}, {@code --queue-xigate}, {@code --queue-metrics} (plan-limited
     * upstream), {@code --service-ms}, {@code --limit}, {@code --overload}, {@code --queue-seconds},
     * {@code --latency-requests}, {@code --throughput-seconds}, {@code --throughput-concurrency}, {@code --jmh-json},
     * {@code --out}.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("argument: " + args[i] + " (expected: --name value pairs)");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new SuiteMain(options).run();
    }

    private String option(String name, String fallback) {
        String value = options.getOrDefault(name, fallback);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + ": missing (expected: a value)");
        }
        return value;
    }

    private void run() throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("suite", "xigate end-to-end benchmark suite");
        result.put("machine", MachineInfo.current());
        result.put("note", "One run on a shared, noisy 2-core machine: the load generator, the gateway, the "
                + "simulator and nginx all compete for the same cores, so compare the arms of this run with each "
                + "other (ratios), not with other machines or runs.");
        result.put("overhead", overhead());
        result.put("queueing", queueing());
        result.put("jmh", jmh());
        result.put("load_average_after", MachineInfo.currentLoadAverage());
        Path out = Path.of(option("out", "bench/results"));
        Files.createDirectories(out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path json = out.resolve("suite-" + stamp + ".json");
        Files.writeString(json, JSON.writeValueAsString(result) + "\n");
        Path markdown = out.resolve("suite-" + stamp + ".md");
        Files.writeString(markdown, SuiteMarkdown.render(JSON.valueToTree(result), json.getFileName().toString()));
        System.out.println("bench: wrote " + json + " and " + markdown);
        http.close();
    }

    private Map<String, Object> overhead() {
        Map<String, Object> section = new LinkedHashMap<>();
        List<Map<String, Object>> arms = new ArrayList<>();
        Map<String, URI> targets = new LinkedHashMap<>();
        targets.put("direct", URI.create(option("direct", null)));
        if (options.containsKey("xigate")) {
            targets.put("xigate", URI.create(options.get("xigate")));
        }
        if (options.containsKey("nginx")) {
            targets.put("nginx", URI.create(options.get("nginx")));
        }
        int latencyRequests = Integer.parseInt(option("latency-requests", "400"));
        int seconds = Integer.parseInt(option("throughput-seconds", "8"));
        int concurrency = Integer.parseInt(option("throughput-concurrency", "16"));
        Scenario scenario = fixedText("eleven_flash_v2_5", 40);
        for (Map.Entry<String, URI> target : targets.entrySet()) {
            log("overhead: " + target.getKey() + " warm-up");
            closedLoop(target.getValue(), 4, 200, 10, scenario);
            log("overhead: " + target.getKey() + " latency, 1 client, " + latencyRequests + " requests");
            Summary latency = closedLoop(target.getValue(), 1, latencyRequests, 60, scenario);
            log("overhead: " + target.getKey() + " throughput, " + concurrency + " clients, " + seconds + " s");
            Summary throughput = closedLoop(target.getValue(), concurrency, 10_000_000L, seconds, scenario);
            Map<String, Object> arm = new LinkedHashMap<>();
            arm.put("arm", target.getKey());
            arm.put("target", target.getValue().toString());
            arm.put("latency_ms", latency.latencyMs());
            arm.put("latency_errors", latency.requests().failed());
            arm.put("max_throughput_rps", throughput.throughputRps().mean());
            arm.put("throughput_latency_ms", throughput.latencyMs());
            arm.put("throughput_errors", throughput.requests().failed());
            arm.put("throughput_errors_by_type", throughput.errors().byType());
            arms.add(arm);
        }
        section.put("method", "closed loop; latency: 1 client, sequential requests; maximum throughput: "
                + concurrency + " clients for " + seconds + " s; POST /v1/text-to-speech (40 characters, flash) "
                + "against a simulator answering without simulated delay (--latency-scale 0)");
        section.put("arms", arms);
        section.put("caveat", "the load generator, the simulator, the gateway and nginx share the same two cores, "
                + "so maximum throughput is bound by CPU and favours the arm that does the least work per request; "
                + "compare the arms of one run as ratios. The simulator's listener sets TCP_NODELAY (without it "
                + "every kept-alive answer waited about 40 ms for the client's delayed ACK, in every arm)");
        section.put("added_vs_direct", added(arms));
        return section;
    }

    private static Map<String, Object> added(List<Map<String, Object>> arms) {
        Map<String, Object> added = new LinkedHashMap<>();
        Map<String, Object> direct = arms.get(0);
        dev.xigate.loadtest.LatencyStats base = (dev.xigate.loadtest.LatencyStats) direct.get("latency_ms");
        double baseRps = (double) direct.get("max_throughput_rps");
        for (Map<String, Object> arm : arms.subList(1, arms.size())) {
            dev.xigate.loadtest.LatencyStats stats = (dev.xigate.loadtest.LatencyStats) arm.get("latency_ms");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("added_p50_ms", round(stats.p50() - base.p50()));
            row.put("added_p99_ms", round(stats.p99() - base.p99()));
            row.put("throughput_ratio", round((double) arm.get("max_throughput_rps") / Math.max(1e-9, baseRps)));
            added.put((String) arm.get("arm"), row);
        }
        return added;
    }

    private Summary closedLoop(URI target, int concurrency, long iterations, int seconds, Scenario scenario) {
        LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.BURST).mode(LoadMode.CLOSED)
                .target(target).planTier(PlanTier.ENTERPRISE).concurrency(concurrency).iterations(iterations)
                .durationSeconds(seconds).scenario(scenario).requestTimeout(Duration.ofSeconds(30)).build();
        return new LoadRunner(config, http, System::nanoTime, Clock.systemUTC(), (p, t, d, l) -> { }).run();
    }

    private Map<String, Object> queueing() {
        Map<String, Object> section = new LinkedHashMap<>();
        if (!options.containsKey("queue-direct")) {
            section.put("skipped", "no --queue-direct simulator");
            return section;
        }
        int serviceMs = Integer.parseInt(option("service-ms", "500"));
        int limit = Integer.parseInt(option("limit", "10"));
        double overload = Double.parseDouble(option("overload", "3"));
        int seconds = Integer.parseInt(option("queue-seconds", "15"));
        double offered = limit * 1_000.0 / serviceMs * overload;
        URI simulator = URI.create(option("queue-direct", null));
        // The physical limit is what the upstream can serve: each request holds one of its slots for the configured
        // service time. The client-side time measured unloaded is reported beside it; it is longer because it also
        // holds transport time during which the slot is already free.
        log("queueing: measuring the unloaded service time");
        Summary calibration = closedLoop(simulator, 1, 20, 30, fixedText("eleven_multilingual_v2", 40));
        double measuredMs = calibration.serviceTimeMs().p50();
        double physical = limit * 1_000.0 / serviceMs;
        section.put("configured_service_ms", serviceMs);
        section.put("measured_service_ms_p50", measuredMs);
        section.put("method", String.format(Locale.ROOT, "open loop at %.1f rps (%.1fx the physical limit of %d "
                + "concurrent / %d ms = %.1f rps; one request measured unloaded from the client takes %.0f ms) for "
                + "%d s, plan pro, multilingual v2, 40 characters; goodput = 2xx answers per second from the first "
                + "send to the last answer; every client retries like the official SDKs (429/408/5xx, %d retries, "
                + "1 s x 2^n x jitter 0.9-1.1, Retry-After honoured)", offered, overload, limit, serviceMs, physical,
                measuredMs, seconds, SdkRetryClient.SDK_MAX_RETRIES));
        section.put("physical_limit_rps", round(physical));
        section.put("offered_rps", round(offered));
        List<Map<String, Object>> arms = new ArrayList<>();
        arms.add(queueArm("sdk_direct", simulator, null, simulator, offered, seconds, physical));
        if (options.containsKey("queue-xigate")) {
            URI metrics = options.containsKey("queue-metrics") ? URI.create(options.get("queue-metrics")) : null;
            arms.add(queueArm("sdk_via_xigate", URI.create(options.get("queue-xigate")), metrics, simulator,
                    offered, seconds, physical));
        }
        section.put("arms", arms);
        return section;
    }

    private Map<String, Object> queueArm(String name, URI target, URI metrics, URI simulator, double rps,
            int seconds, double physical) {
        log("queueing: " + name + " at " + round(rps) + " rps for " + seconds + " s");
        SdkRetryClient sdk = new SdkRetryClient(http, target, Duration.ofSeconds(60), SdkRetryClient.SDK_MAX_RETRIES,
                () -> ThreadLocalRandom.current().nextDouble(), Thread::sleep, Instant::now, System::nanoTime);
        LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.SOAK).target(target).rps(rps)
                .durationSeconds(seconds).planTier(PlanTier.PRO).simulator(simulator).metrics(metrics)
                .scenario(fixedText("eleven_multilingual_v2", 40)).requestTimeout(Duration.ofSeconds(60))
                .maxInFlight(5_000).build();
        Summary summary = run(config, sdk);
        Map<String, Object> arm = new LinkedHashMap<>();
        arm.put("arm", name);
        arm.put("target", target.toString());
        arm.put("requests", summary.requests());
        arm.put("goodput_rps", summary.throughputRps().successMean());
        arm.put("goodput_ratio_of_physical_limit", round(summary.throughputRps().successMean() / physical));
        arm.put("client_429s_seen", sdk.throttledSeen());
        arm.put("client_retries", sdk.retries());
        arm.put("failed_requests", summary.requests().failed());
        arm.put("latency_ms", summary.latencyMs());
        arm.put("errors_by_type", summary.errors().byType());
        arm.put("upstream_max_concurrency", summary.upstream().maxConcurrency());
        arm.put("upstream_429s", summary.upstream().countedByStatus().getOrDefault("429", 0L));
        arm.put("gateway_max_queue_depth", summary.gateway().maxQueueDepth());
        arm.put("elapsed_s", summary.elapsedSeconds());
        return arm;
    }

    private Summary run(LoadtestConfig config, RequestSender sender) {
        return new LoadRunner(config, http, sender, System::nanoTime, Clock.systemUTC(), (p, t, d, l) -> {
            if (p.second() % 5 == 0 || l) {
                log(String.format(Locale.ROOT, "  t=%ds sent=%d ok=%d failed=%d in-flight=%d", p.second(),
                        t.sent(), t.succeeded(), t.failed(), p.inFlight()));
            }
        }).run();
    }

    private Object jmh() {
        String file = options.get("jmh-json");
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            return Map.of("skipped", "no JMH results (bench/target/xigate-bench.jar had no benchmarks or was "
                    + "not built)");
        }
        try {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode run : new ObjectMapper().readTree(Path.of(file).toFile())) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("benchmark", run.path("benchmark").asText());
                row.put("params", run.path("params").isMissingNode() ? "" : run.path("params").toString());
                row.put("mode", run.path("mode").asText());
                row.put("threads", run.path("threads").asInt());
                row.put("score", round(run.at("/primaryMetric/score").asDouble()));
                row.put("score_error", round(run.at("/primaryMetric/scoreError").asDouble()));
                row.put("unit", run.at("/primaryMetric/scoreUnit").asText());
                rows.add(row);
            }
            return Map.of("results_file", Path.of(file).getFileName().toString(), "results", rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JMH results " + file, e);
        }
    }

    private static Scenario fixedText(String model, int characters) {
        return new Scenario("bench-" + model, null, Map.of("convert", 1.0), Map.of(model, 1.0), null, Map.of(),
                new Scenario.TextLength("fixed", characters, null, null, null, null), null, null).validated();
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    private static void log(String line) {
        System.out.println("bench: " + line);
    }
}
