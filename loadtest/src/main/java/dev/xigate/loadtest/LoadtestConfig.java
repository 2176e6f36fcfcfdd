package dev.xigate.loadtest;

import dev.xigate.plan.PlanTier;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one load test run needs, validated: pattern, mode, rates, bounds, target, safety confirmations and
 * pass/fail criteria. Create it with {@link #builder()}. Immutable.
 *
 * @param pattern the load shape
 * @param mode open or closed loop
 * @param target the base URL requests go to (the gateway, or the simulator directly)
 * @param apiKey the default {@code xi-api-key} (scenario clients may bring their own)
 * @param planTier the plan the upstream account is on; its limits drive the concurrency validation
 * @param durationSeconds how long requests keep leaving
 * @param concurrency closed-loop clients
 * @param iterations the most requests a closed-loop run sends (burst)
 * @param startRps open-loop rate at the start
 * @param endRps open-loop rate at the end
 * @param failureRate the chaos failure rate set on the simulator during a chaos run
 * @param faultKinds the simulator fault kinds the chaos failure rate is spread over
 * @param simulator the simulator's base URL for stats and chaos, or {@code null}
 * @param metrics the gateway's Prometheus endpoint, or {@code null}
 * @param out the directory for summary.json and report.html, or {@code null} for none
 * @param scenario the traffic mix
 * @param maxErrorRate the highest error rate that passes, or {@code null} for no criterion
 * @param maxP95Ms the highest p95 latency in milliseconds that passes, or {@code null}
 * @param maxRequests the hard bound on requests sent
 * @param maxInFlight the most requests the generator keeps in flight (beyond it open-loop arrivals are counted
 *     as {@code client_overloaded} failures instead of piling up)
 * @param requestTimeout the longest one request may take
 * @param seed the random seed of the scenario sampler
 * @param resetSimulator whether to clear the simulator's counters before the run
 */
public record LoadtestConfig(
        LoadPattern pattern,
        LoadMode mode,
        URI target,
        String apiKey,
        PlanTier planTier,
        int durationSeconds,
        int concurrency,
        long iterations,
        double startRps,
        double endRps,
        double failureRate,
        List<String> faultKinds,
        URI simulator,
        URI metrics,
        Path out,
        Scenario scenario,
        Double maxErrorRate,
        Double maxP95Ms,
        long maxRequests,
        int maxInFlight,
        Duration requestTimeout,
        long seed,
        boolean resetSimulator) {

    /** The simulator fault kinds a chaos run injects by default: the ones a gateway should retry. */
    public static final List<String> DEFAULT_FAULT_KINDS = List.of("error_500", "error_502", "error_503",
            "system_busy");
    private static final List<String> KNOWN_FAULT_KINDS = List.of("system_busy", "error_500", "error_502",
            "error_503", "reset", "stream_stall", "stream_reset");

    /** Returns a builder with every default of the pattern it is given. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the open-loop arrival schedule of this run. */
    public ArrivalSchedule schedule() {
        return new ArrivalSchedule(startRps, endRps, durationSeconds);
    }

    /** Returns the settings shown in reports (never the API key). */
    public Map<String, Object> describe() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("pattern", pattern.label());
        settings.put("mode", mode.label());
        settings.put("target", target.toString());
        settings.put("plan_tier", planTier.label());
        settings.put("duration_s", durationSeconds);
        if (mode == LoadMode.CLOSED) {
            settings.put("concurrency", concurrency);
            settings.put("iterations", iterations);
        } else {
            settings.put("start_rps", startRps);
            settings.put("end_rps", endRps);
        }
        if (pattern == LoadPattern.CHAOS) {
            settings.put("failure_rate", failureRate);
            settings.put("fault_kinds", String.join(",", faultKinds));
        }
        settings.put("simulator", simulator == null ? null : simulator.toString());
        settings.put("metrics", metrics == null ? null : metrics.toString());
        settings.put("scenario", scenario.name());
        settings.put("max_requests", maxRequests);
        settings.put("request_timeout_s", requestTimeout.toSeconds());
        settings.put("seed", seed);
        return settings;
    }

    /** Collects options; {@link #build()} fills in the pattern's defaults and validates. Not thread-safe. */
    public static final class Builder {
        private LoadPattern pattern = LoadPattern.RAMP_UP;
        private LoadMode mode;
        private URI target;
        private String apiKey;
        private PlanTier planTier = PlanTier.PRO;
        private Integer durationSeconds;
        private Integer concurrency;
        private Long iterations;
        private Double startRps;
        private Double endRps;
        private Double rps;
        private Double failureRate;
        private List<String> faultKinds;
        private URI simulator;
        private URI metrics;
        private Path out;
        private Scenario scenario;
        private Double maxErrorRate;
        private Double maxP95Ms;
        private Long maxRequests;
        private Integer maxInFlight;
        private Duration requestTimeout;
        private long seed = 42;
        private boolean resetSimulator = true;
        private boolean allowRemote;
        private PlanTier confirmPlan;

        private Builder() {
        }

        /** Sets the pattern. */
        public Builder pattern(LoadPattern value) {
            this.pattern = value;
            return this;
        }

        /** Sets the loop mode (default: the pattern's). */
        public Builder mode(LoadMode value) {
            this.mode = value;
            return this;
        }

        /** Sets the target base URL. */
        public Builder target(URI value) {
            this.target = value;
            return this;
        }

        /** Sets the default API key. */
        public Builder apiKey(String value) {
            this.apiKey = value;
            return this;
        }

        /** Sets the plan tier. */
        public Builder planTier(PlanTier value) {
            this.planTier = value;
            return this;
        }

        /** Sets the duration in seconds. */
        public Builder durationSeconds(Integer value) {
            this.durationSeconds = value;
            return this;
        }

        /** Sets the closed-loop clients. */
        public Builder concurrency(Integer value) {
            this.concurrency = value;
            return this;
        }

        /** Sets the request count of a closed-loop run. */
        public Builder iterations(Long value) {
            this.iterations = value;
            return this;
        }

        /** Sets the ramp's first rate. */
        public Builder startRps(Double value) {
            this.startRps = value;
            return this;
        }

        /** Sets the ramp's last rate. */
        public Builder endRps(Double value) {
            this.endRps = value;
            return this;
        }

        /** Sets a constant open-loop rate (chaos, soak). */
        public Builder rps(Double value) {
            this.rps = value;
            return this;
        }

        /** Sets the chaos failure rate. */
        public Builder failureRate(Double value) {
            this.failureRate = value;
            return this;
        }

        /** Sets the fault kinds the chaos failure rate is spread over. */
        public Builder faultKinds(List<String> value) {
            this.faultKinds = value;
            return this;
        }

        /** Sets the simulator's base URL. */
        public Builder simulator(URI value) {
            this.simulator = value;
            return this;
        }

        /** Sets the gateway's metrics URL. */
        public Builder metrics(URI value) {
            this.metrics = value;
            return this;
        }

        /** Sets the output directory. */
        public Builder out(Path value) {
            this.out = value;
            return this;
        }

        /** Sets the scenario. */
        public Builder scenario(Scenario value) {
            this.scenario = value;
            return this;
        }

        /** Sets the error rate criterion. */
        public Builder maxErrorRate(Double value) {
            this.maxErrorRate = value;
            return this;
        }

        /** Sets the p95 criterion in milliseconds. */
        public Builder maxP95Ms(Double value) {
            this.maxP95Ms = value;
            return this;
        }

        /** Sets the hard bound on requests. */
        public Builder maxRequests(Long value) {
            this.maxRequests = value;
            return this;
        }

        /** Sets the in-flight bound. */
        public Builder maxInFlight(Integer value) {
            this.maxInFlight = value;
            return this;
        }

        /** Sets the per-request timeout. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** Sets the sampler seed. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Sets whether the simulator's counters are cleared first. */
        public Builder resetSimulator(boolean value) {
            this.resetSimulator = value;
            return this;
        }

        /** Allows targets outside loopback. */
        public Builder allowRemote(boolean value) {
            this.allowRemote = value;
            return this;
        }

        /** Sets the plan the operator confirms the API key is on (required for remote targets). */
        public Builder confirmPlan(PlanTier value) {
            this.confirmPlan = value;
            return this;
        }

        /**
         * Returns the validated configuration.
         *
         * @throws IllegalArgumentException naming the first invalid option, in the form
         *     {@code <option>: <actual> (expected: <constraint>)}
         */
        public LoadtestConfig build() {
            if (target == null) {
                throw new IllegalArgumentException("--target: missing (expected: a base URL such as "
                        + "http://127.0.0.1:8080)");
            }
            checkUrl("--target", target);
            checkSafety();
            LoadMode effectiveMode = mode == null ? pattern.defaultMode() : mode;
            int duration = durationSeconds == null ? pattern.defaultDurationSeconds() : durationSeconds;
            check("--duration", duration, duration >= 1 && duration <= 86_400, "1..86400 seconds");
            int clients = concurrency == null ? (pattern == LoadPattern.BURST ? 50 : 10) : concurrency;
            check("--concurrency", clients, clients >= 1 && clients <= 10_000, "1..10000");
            long bound = maxRequests == null ? 1_000_000L : maxRequests;
            check("--max-requests", bound, bound >= 1 && bound <= 100_000_000L, "1..100000000");
            long count = iterations == null ? (pattern == LoadPattern.BURST ? 100 : bound) : iterations;
            check("--iterations", count, count >= 1 && count <= 100_000_000L, "1..100000000");
            double[] rates = rates();
            check("--start-rps", rates[0], rates[0] > 0 && rates[0] <= 100_000, "> 0 and <= 100000");
            check("--end-rps", rates[1], rates[1] > 0 && rates[1] <= 100_000, "> 0 and <= 100000");
            double failure = failureRate == null ? 0.1 : failureRate;
            check("--failure-rate", failure, failure >= 0 && failure <= 1, "0..1");
            List<String> kinds = faultKinds == null || faultKinds.isEmpty() ? DEFAULT_FAULT_KINDS
                    : List.copyOf(faultKinds);
            for (String kind : kinds) {
                check("--fault-kinds", kind, KNOWN_FAULT_KINDS.contains(kind), "one of "
                        + String.join(", ", KNOWN_FAULT_KINDS));
            }
            if (pattern == LoadPattern.CHAOS && simulator == null) {
                throw new IllegalArgumentException("--simulator: missing (expected: the simulator's URL, which "
                        + "the chaos pattern drives through POST /_sim/chaos)");
            }
            if (maxErrorRate != null) {
                check("--max-error-rate", maxErrorRate, maxErrorRate >= 0 && maxErrorRate <= 1, "0..1");
            }
            if (maxP95Ms != null) {
                check("--max-p95", maxP95Ms, maxP95Ms > 0, "> 0 milliseconds");
            }
            int inFlight = maxInFlight == null ? 2_000 : maxInFlight;
            check("--max-in-flight", inFlight, inFlight >= 1 && inFlight <= 100_000, "1..100000");
            Duration timeout = requestTimeout == null ? Duration.ofSeconds(60) : requestTimeout;
            check("--request-timeout", timeout.toMillis(), timeout.toMillis() >= 100
                    && timeout.toSeconds() <= 3_600, "0.1..3600 seconds");
            String key = apiKey == null || apiKey.isBlank() ? "xigate-loadtest" : apiKey;
            return new LoadtestConfig(pattern, effectiveMode, target, key, planTier, duration, clients, count,
                    rates[0], rates[1], failure, kinds, simulator, metrics, out,
                    scenario == null ? Scenario.defaults() : scenario, maxErrorRate, maxP95Ms, bound, inFlight,
                    timeout, seed, resetSimulator);
        }

        private double[] rates() {
            double defaultRate = switch (pattern) {
                case CHAOS -> 5;
                case SOAK -> 2;
                default -> 1;
            };
            if (pattern == LoadPattern.RAMP_UP) {
                double start = startRps == null ? (rps == null ? 1 : rps) : startRps;
                double end = endRps == null ? (rps == null ? 10 : rps) : endRps;
                return new double[] {start, end};
            }
            double constant = rps == null ? (startRps == null ? defaultRate : startRps) : rps;
            return new double[] {constant, constant};
        }

        private void checkSafety() {
            boolean remoteTarget = !isLoopback(target);
            if (remoteTarget && !allowRemote) {
                throw new IllegalArgumentException("--target: " + target + " (expected: a loopback address; a load "
                        + "test against a remote API spends real credits: add --allow-remote and --confirm-plan)");
            }
            if (remoteTarget && confirmPlan != planTier) {
                throw new IllegalArgumentException("--confirm-plan: " + (confirmPlan == null ? "missing"
                        : confirmPlan.label()) + " (expected: " + planTier.label()
                        + ", the --plan-tier of the API key this run will spend credits on)");
            }
            checkLoopbackUnlessAllowed("--simulator", simulator);
            checkLoopbackUnlessAllowed("--metrics", metrics);
        }

        private void checkLoopbackUnlessAllowed(String option, URI uri) {
            if (uri == null) {
                return;
            }
            checkUrl(option, uri);
            if (!allowRemote && !isLoopback(uri)) {
                throw new IllegalArgumentException(option + ": " + uri
                        + " (expected: a loopback address, or --allow-remote)");
            }
        }

        private static void checkUrl(String option, URI uri) {
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(option + ": " + uri + " (expected: an http:// or https:// URL)");
            }
        }

        private static void check(String option, Object actual, boolean valid, String expected) {
            if (!valid) {
                throw new IllegalArgumentException(option + ": " + actual + " (expected: " + expected + ")");
            }
        }
    }

    /** Returns whether every address the URL's host resolves to is a loopback address. */
    static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return true;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
