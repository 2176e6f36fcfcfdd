package dev.xigate.cli;

import dev.xigate.loadtest.ConsoleProgress;
import dev.xigate.loadtest.LoadMode;
import dev.xigate.loadtest.LoadPattern;
import dev.xigate.loadtest.LoadRunner;
import dev.xigate.loadtest.LoadtestConfig;
import dev.xigate.loadtest.Scenario;
import dev.xigate.loadtest.Summary;
import dev.xigate.loadtest.SummaryWriter;
import dev.xigate.plan.PlanTier;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code xigate loadtest} command: runs a load, concurrency or chaos test and exits 0 when every pass/fail
 * criterion holds, 1 when one fails, 2 on a usage error.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a load, concurrency or chaos test against the gateway or the simulator.",
            "Patterns: ramp-up (open loop, --start-rps to --end-rps), burst (closed loop, --concurrency clients "
                + "for --iterations requests), chaos (open loop at --rps while the simulator fails at "
                + "--failure-rate), soak (open loop at --rps for a long --duration).",
            "Exit status: 0 pass, 1 a criterion failed, 2 usage error."})
final class LoadtestCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--pattern", defaultValue = "ramp-up", description = "ramp-up, burst, chaos or soak.")
    private String pattern;

    @Option(names = "--mode", description = "open or closed (default: open, burst: closed).")
    private String mode;

    @Option(names = "--target", defaultValue = "http://127.0.0.1:8080",
            description = "Base URL (default: ${DEFAULT-VALUE}).")
    private URI target;

    @Option(names = "--api-key", description = "xi-api-key to send (default: $XIGATE_LOADTEST_API_KEY, then a "
            + "placeholder accepted by the simulator).")
    private String apiKey;

    @Option(names = "--plan-tier", defaultValue = "pro", description = "Plan of the upstream key (default: pro).")
    private String planTier;

    @Option(names = "--duration", description = "Seconds requests keep leaving (defaults: ramp-up 300, burst 300 "
            + "as a bound, chaos 120, soak 600).")
    private Integer duration;

    @Option(names = "--concurrency", description = "Closed-loop clients (burst default 50, else 10).")
    private Integer concurrency;

    @Option(names = "--iterations", description = "Requests of a closed-loop run (burst default 100).")
    private Long iterations;

    @Option(names = "--start-rps", description = "Ramp start rate (default 1).")
    private Double startRps;

    @Option(names = "--end-rps", description = "Ramp end rate (default 10).")
    private Double endRps;

    @Option(names = "--rps", description = "Constant rate of chaos (default 5) and soak (default 2).")
    private Double rps;

    @Option(names = "--failure-rate", description = "Chaos failure rate set on the simulator (default 0.1).")
    private Double failureRate;

    @Option(names = "--fault-kinds", split = ",", description = "Simulator faults the chaos failure rate is spread "
            + "over (default: error_500,error_502,error_503,system_busy; also reset, stream_stall, stream_reset).")
    private List<String> faultKinds;

    @Option(names = "--simulator", description = "Simulator base URL: stats, chaos controls, counts to compare.")
    private URI simulator;

    @Option(names = "--metrics", description = "Gateway Prometheus URL, scraped every second (optional).")
    private URI metrics;

    @Option(names = "--scenario", description = "YAML scenario file: endpoints, models, priorities, text "
            + "lengths, clients, think time.")
    private Path scenario;

    @Option(names = "--out", description = "Directory for summary.json and report.html.")
    private Path out;

    @Option(names = "--max-error-rate", description = "Fail when failed/sent is above this (0..1).")
    private Double maxErrorRate;

    @Option(names = "--max-p95", description = "Fail when the p95 latency is above this many milliseconds.")
    private Double maxP95;

    @Option(names = "--max-requests", description = "Hard bound on requests sent (default 1000000).")
    private Long maxRequests;

    @Option(names = "--max-in-flight", description = "Most requests in flight from this tool (default 2000).")
    private Integer maxInFlight;

    @Option(names = "--request-timeout", defaultValue = "60", description = "Seconds one request may take "
            + "(default: ${DEFAULT-VALUE}).")
    private double requestTimeoutSeconds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the scenario sampler.")
    private long seed;

    @Option(names = "--reset-simulator", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Clear the simulator's counters first (default: true).")
    private boolean resetSimulator;

    @Option(names = "--allow-remote", description = "Allow a target outside loopback (spends real credits).")
    private boolean allowRemote;

    @Option(names = "--confirm-plan", description = "For remote targets: must equal --plan-tier.")
    private String confirmPlan;

    @Override
    public Integer call() {
        LoadtestConfig config = config();
        PrintStream out = System.out;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        LoadRunner runner = new LoadRunner(config, http, System::nanoTime, Clock.systemUTC(),
                new ConsoleProgress(out, System.console() != null));
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runner.stop();
            awaitQuietly(finished, config.requestTimeout().plusSeconds(10));
        }, "loadtest-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Summary summary;
        try {
            out.println("xigate loadtest: " + config.pattern().label() + " (" + config.mode().label()
                    + " loop) against " + config.target() + " for up to " + config.durationSeconds() + " s, plan "
                    + config.planTier().label());
            summary = runner.run();
        } finally {
            finished.countDown();
            removeHook(hook);
            http.close();
        }
        if (config.out() != null) {
            SummaryWriter.write(summary, config.out());
        }
        printResult(out, summary, config);
        return summary.verdict().passed() ? 0 : 1;
    }

    private LoadtestConfig config() {
        try {
            String key = apiKey != null ? apiKey : System.getenv("XIGATE_LOADTEST_API_KEY");
            return LoadtestConfig.builder()
                    .pattern(LoadPattern.fromLabel(pattern))
                    .mode(mode == null ? null : LoadMode.fromLabel(mode))
                    .target(target).apiKey(key).planTier(PlanTier.fromLabel(planTier))
                    .durationSeconds(duration).concurrency(concurrency).iterations(iterations)
                    .startRps(startRps).endRps(endRps).rps(rps).failureRate(failureRate)
                    .faultKinds(faultKinds)
                    .simulator(simulator).metrics(metrics).out(out)
                    .scenario(scenario == null ? null : Scenario.load(scenario))
                    .maxErrorRate(maxErrorRate).maxP95Ms(maxP95).maxRequests(maxRequests).maxInFlight(maxInFlight)
                    .requestTimeout(Duration.ofMillis(Math.round(requestTimeoutSeconds * 1000)))
                    .seed(seed).resetSimulator(resetSimulator).allowRemote(allowRemote)
                    .confirmPlan(confirmPlan == null ? null : PlanTier.fromLabel(confirmPlan))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static void printResult(PrintStream out, Summary summary, LoadtestConfig config) {
        Summary.Requests r = summary.requests();
        out.printf(Locale.ROOT, "requests: sent %d, succeeded %d, failed %d (%.2f%%), unfinished %d%n", r.sent(),
                r.succeeded(), r.failed(), summary.errors().rate() * 100, r.unfinished());
        out.printf(Locale.ROOT, "latency ms: p50 %.1f p90 %.1f p95 %.1f p99 %.1f max %.1f; throughput %.2f rps%n",
                summary.latencyMs().p50(), summary.latencyMs().p90(), summary.latencyMs().p95(),
                summary.latencyMs().p99(), summary.latencyMs().max(), summary.throughputRps().mean());
        if (!summary.errors().byType().isEmpty()) {
            out.println("errors: " + summary.errors().byStatus() + " " + summary.errors().byType());
        }
        for (Summary.Check check : summary.verdict().checks()) {
            out.println((check.passed() ? "PASS " : "FAIL ") + check.name() + ": " + check.detail());
        }
        if (config.out() != null) {
            out.println("report: " + config.out().resolve(SummaryWriter.REPORT_FILE).toAbsolutePath());
        }
        out.println(summary.verdict().passed() ? "result: PASS" : "result: FAIL");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook is running and waits for this run to end.
            return;
        }
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
