package dev.xigate.loadtest;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one load test from a {@link LoadtestConfig}: sends the pattern's requests (a virtual thread each), ticks
 * once per second to build the timeline (client figures, simulator stats, gateway metrics), drives the simulator's
 * chaos controls and restores them, then returns the {@link Summary} with its verdict.
 *
 * <p>Every run is bounded: requests stop leaving after the duration or {@code maxRequests}, and the generator waits
 * at most the request timeout (plus a grace period) for the last answers. One instance runs once.
 */
public final class LoadRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);
    private static final long TICK_NANOS = 1_000_000_000L;
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

    private final LoadtestConfig config;
    private final LongSupplier clock;
    private final Clock wallClock;
    private final Progress progress;
    private final RequestSender sender;
    private final ScenarioSampler sampler;
    private final LoadRecorder recorder = new LoadRecorder();
    private final SimulatorClient simulator;
    private final GatewayMetrics metrics;
    private final List<Summary.TimePoint> timeline = new ArrayList<>();
    private volatile boolean stopped;
    private long startNanos;

    /** Receives one line of progress per tick. */
    @FunctionalInterface
    public interface Progress {
        /** Reports the state of the run at a tick ({@code last} is the final one). */
        void tick(Summary.TimePoint point, LoadRecorder totals, int durationSeconds, boolean last);
    }

    /**
     * Creates a runner.
     *
     * @param config the run
     * @param http the HTTP client for requests, simulator and metrics
     * @param clock the monotonic clock in nanoseconds
     * @param wallClock the wall clock for report timestamps
     * @param progress the progress sink
     */
    public LoadRunner(LoadtestConfig config, HttpClient http, LongSupplier clock, Clock wallClock,
            Progress progress) {
        this(config, http, new RequestExecutor(http, config.target(), config.requestTimeout(), clock), clock,
                wallClock, progress);
    }

    /**
     * Creates a runner that sends through {@code sender} instead of the plain client.
     *
     * @param config the run
     * @param http the HTTP client for simulator stats and metrics
     * @param sender what sends each request
     * @param clock the monotonic clock in nanoseconds
     * @param wallClock the wall clock for report timestamps
     * @param progress the progress sink
     */
    public LoadRunner(LoadtestConfig config, HttpClient http, RequestSender sender, LongSupplier clock,
            Clock wallClock, Progress progress) {
        this.config = config;
        this.clock = clock;
        this.wallClock = wallClock;
        this.progress = progress;
        this.sender = sender;
        this.sampler = new ScenarioSampler(config.scenario(), config.apiKey(), config.seed());
        this.simulator = config.simulator() == null ? null : new SimulatorClient(http, config.simulator());
        this.metrics = config.metrics() == null ? null : new GatewayMetrics(http, config.metrics());
    }

    /** Asks a running test to stop sending; it still waits for answers and reports. */
    public void stop() {
        stopped = true;
    }

    /** Runs the test and returns its summary. */
    public Summary run() {
        String startedAt = wallClock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        Optional<SimulatorClient.Stats> baseline = prepareSimulator();
        String savedChaos = null;
        if (config.pattern() == LoadPattern.CHAOS) {
            savedChaos = simulator.currentChaos();
            simulator.setChaos(SimulatorClient.chaosBody(config.failureRate(), config.faultKinds()));
        }
        try {
            startNanos = clock.getAsLong();
            Thread ticker = Thread.ofPlatform().daemon().name("loadtest-ticker").start(this::tickLoop);
            long planned = generate();
            ticker.interrupt();
            joinQuietly(ticker);
            long endNanos = clock.getAsLong();
            Summary.TimePoint last = tick(true);
            Optional<SimulatorClient.Stats> finalStats = simulator == null ? Optional.empty() : simulator.stats();
            return summarize(startedAt, planned, endNanos, last, baseline, finalStats);
        } finally {
            if (savedChaos != null) {
                restoreChaos(savedChaos);
            }
            if (sender instanceof RequestExecutor executor) {
                executor.close();
            }
        }
    }

    private Optional<SimulatorClient.Stats> prepareSimulator() {
        if (simulator == null) {
            return Optional.empty();
        }
        if (config.resetSimulator()) {
            try {
                simulator.reset();
            } catch (IllegalStateException e) {
                LOG.warn("- Simulator reset failed, counting from a baseline instead reason={}", e.getMessage());
            }
        }
        return simulator.stats();
    }

    private void restoreChaos(String savedChaos) {
        try {
            simulator.setChaos(savedChaos);
        } catch (IllegalStateException e) {
            LOG.error("- Chaos settings could not be restored chaos={} reason={}", savedChaos, e.getMessage());
        }
    }

    private long generate() {
        ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        long planned;
        try {
            planned = config.mode() == LoadMode.OPEN ? openLoop(requests) : closedLoop(requests);
        } finally {
            requests.shutdown();
        }
        try {
            long waitMillis = config.requestTimeout().plus(DRAIN_GRACE).toMillis();
            if (!requests.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("- Requests still in flight after the drain period in_flight={}", recorder.inFlight());
                requests.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requests.shutdownNow();
        }
        return planned;
    }

    private long openLoop(ExecutorService requests) {
        ArrivalSchedule schedule = config.schedule();
        long durationNanos = config.durationSeconds() * TICK_NANOS;
        long planned = Math.min(schedule.plannedCount(), config.maxRequests());
        for (long n = 0; n < planned && !stopped; n++) {
            long offset = schedule.offsetNanos(n);
            if (offset >= durationNanos) {
                break;
            }
            long intended = startNanos + offset;
            waitUntil(intended);
            PlannedRequest request = sampler.next(n);
            if (recorder.inFlight() >= config.maxInFlight()) {
                long now = clock.getAsLong();
                recorder.recordSent();
                recorder.recordOutcome(request, new Outcome.Failure(0, "client_overloaded", 0), intended, now, now);
                continue;
            }
            requests.execute(() -> send(request, intended));
        }
        return planned;
    }

    private long closedLoop(ExecutorService requests) {
        long planned = Math.min(config.iterations(), config.maxRequests());
        long deadline = startNanos + config.durationSeconds() * TICK_NANOS;
        AtomicLong tickets = new AtomicLong();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(config.concurrency());
        for (int i = 0; i < config.concurrency(); i++) {
            requests.execute(() -> {
                try {
                    gate.await();
                    clientLoop(tickets, planned, deadline);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        // All clients are released together, so a burst really arrives at once.
        gate.countDown();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return planned;
    }

    private void clientLoop(AtomicLong tickets, long planned, long deadline) {
        while (!stopped && clock.getAsLong() < deadline) {
            long n = tickets.getAndIncrement();
            if (n >= planned) {
                return;
            }
            send(sampler.next(n), clock.getAsLong());
            long think = sampler.thinkTimeMillis(n);
            if (think > 0) {
                waitUntil(Math.min(deadline, clock.getAsLong() + think * 1_000_000L));
            }
        }
    }

    private void send(PlannedRequest request, long intendedNanos) {
        recorder.recordSent();
        long sentAt = clock.getAsLong();
        Outcome outcome = sender.send(request);
        recorder.recordOutcome(request, outcome, intendedNanos, sentAt, clock.getAsLong());
    }

    private void waitUntil(long targetNanos) {
        long remaining;
        while ((remaining = targetNanos - clock.getAsLong()) > 0 && !stopped) {
            LockSupport.parkNanos(remaining);
        }
    }

    private void tickLoop() {
        long next = startNanos + TICK_NANOS;
        while (!Thread.currentThread().isInterrupted()) {
            long remaining;
            while ((remaining = next - clock.getAsLong()) > 0) {
                LockSupport.parkNanos(remaining);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            tick(false);
            next += TICK_NANOS;
        }
    }

    private synchronized Summary.TimePoint tick(boolean last) {
        LoadRecorder.Interval interval = recorder.takeInterval();
        Double upstream = null;
        if (simulator != null) {
            upstream = simulator.stats().map(stats -> (double) stats.totalInFlight()).orElse(null);
        }
        GatewayMetrics.Tick gateway = metrics == null ? GatewayMetrics.Tick.EMPTY : metrics.scrape();
        if (upstream == null) {
            upstream = gateway.concurrency();
        }
        int second = (int) Math.round((clock.getAsLong() - startNanos) / (double) TICK_NANOS);
        if (!timeline.isEmpty()) {
            // The final tick closes a partial second; keep the timeline strictly increasing.
            second = Math.max(second, timeline.get(timeline.size() - 1).second() + 1);
        }
        LatencyStats latency = interval.latency();
        Summary.TimePoint point = new Summary.TimePoint(second, interval.sent(), interval.completed(),
                interval.errors(), latency == null ? null : latency.p50(), latency == null ? null : latency.p99(),
                latency == null ? null : latency.max(), interval.inFlight(), upstream, gateway.queueDepth(),
                gateway.queueWaitMs());
        if (!last || interval.sent() + interval.completed() > 0 || timeline.isEmpty()) {
            timeline.add(point);
        }
        progress.tick(point, recorder, config.durationSeconds(), last);
        return point;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Summary summarize(String startedAt, long planned, long endNanos, Summary.TimePoint last,
            Optional<SimulatorClient.Stats> baseline, Optional<SimulatorClient.Stats> finalStats) {
        double elapsed = Math.max(1e-3, (endNanos - startNanos) / 1e9);
        long sent = recorder.sent();
        long failed = recorder.failed();
        long succeeded = recorder.succeeded();
        long completed = succeeded + failed;
        double peak = timeline.stream().mapToLong(Summary.TimePoint::completed).max().orElse(0);
        Summary.Throughput throughput = new Summary.Throughput(round(completed / elapsed), peak,
                round(succeeded / elapsed));
        double errorRate = sent == 0 ? 0 : (double) failed / sent;
        Summary.Errors errors = new Summary.Errors(round4(errorRate), recorder.byStatus(), recorder.byType());
        Summary.Upstream upstream = upstream(baseline, finalStats);
        Summary.Gateway gateway = gateway();
        LatencyStats latency = recorder.latency();
        Summary.Requests requests = new Summary.Requests(planned, sent, succeeded, failed, recorder.inFlight());
        Summary.Verdict verdict = verdict(errorRate, latency, upstream, requests);
        String finishedAt = wallClock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        return new Summary("xigate loadtest", startedAt, finishedAt, round(elapsed),
                config.describe(), requests, latency, recorder.serviceTime(), recorder.timeToFirstByte(),
                throughput, errors, recorder.byEndpoint(), gateway, upstream, List.copyOf(timeline), verdict);
    }

    private Summary.Gateway gateway() {
        if (metrics == null) {
            return new Summary.Gateway(0, null, null, null, null);
        }
        Double meanWait = timeline.stream().map(Summary.TimePoint::queueWaitMs)
                .filter(wait -> wait != null && wait > 0).mapToDouble(Double::doubleValue).average().stream()
                .boxed().findFirst().map(LoadRunner::round).orElse(null);
        return new Summary.Gateway(metrics.scrapes(), metrics.retries(), metrics.breakerTransitions(),
                metrics.maxQueueDepth(), meanWait);
    }

    private Summary.Upstream upstream(Optional<SimulatorClient.Stats> baseline,
            Optional<SimulatorClient.Stats> finalStats) {
        String chaos = config.pattern() == LoadPattern.CHAOS
                ? SimulatorClient.chaosBody(config.failureRate(), config.faultKinds()) : null;
        if (finalStats.isPresent()) {
            SimulatorClient.Stats end = finalStats.get();
            SimulatorClient.Stats start = baseline.orElse(new SimulatorClient.Stats(0, Map.of(), Map.of(), Map.of()));
            Map<String, Long> byStatus = new TreeMap<>();
            end.byStatus().forEach((status, count) -> {
                long delta = count - start.byStatus().getOrDefault(status, 0L);
                if (delta != 0) {
                    byStatus.put(status, delta);
                }
            });
            long errorsCounted = byStatus.entrySet().stream().filter(e -> e.getKey().compareTo("400") >= 0)
                    .mapToLong(Map.Entry::getValue).sum();
            return new Summary.Upstream("simulator", end.maxInFlight(), limits(end.maxInFlight().keySet()),
                    end.requests() - start.requests(), errorsCounted, byStatus, chaos);
        }
        if (metrics != null && !metrics.maxConcurrency().isEmpty()) {
            Map<String, Integer> max = new TreeMap<>();
            metrics.maxConcurrency().forEach((family, value) -> max.put(family, (int) Math.round(value)));
            return new Summary.Upstream("gateway_metrics", max, limits(max.keySet()), null, null, Map.of(), chaos);
        }
        return new Summary.Upstream("none", Map.of(), Map.of(), null, null, Map.of(), chaos);
    }

    private Map<String, Integer> limits(Iterable<String> families) {
        Map<String, Integer> limits = new TreeMap<>();
        PlanTier tier = config.planTier();
        for (String family : families) {
            try {
                limits.put(family, tier.concurrencyLimit(ModelFamily.fromLabel(family)));
            } catch (IllegalArgumentException e) {
                LOG.debug("- Unknown model family in upstream figures family={}", family);
            }
        }
        return limits;
    }

    private Summary.Verdict verdict(double errorRate, LatencyStats latency, Summary.Upstream upstream,
            Summary.Requests requests) {
        List<Summary.Check> checks = new ArrayList<>();
        if (config.maxErrorRate() != null) {
            checks.add(new Summary.Check("error_rate", errorRate <= config.maxErrorRate(),
                    String.format(java.util.Locale.ROOT, "%.4f (expected: <= %.4f)", errorRate,
                            config.maxErrorRate())));
        }
        if (config.maxP95Ms() != null) {
            checks.add(new Summary.Check("p95_latency", latency.p95() <= config.maxP95Ms(),
                    latency.p95() + " ms (expected: <= " + config.maxP95Ms() + " ms)"));
        }
        checks.add(concurrencyCheck(upstream));
        checks.add(new Summary.Check("requests_finished", requests.unfinished() == 0,
                requests.unfinished() + " unfinished (expected: 0)"));
        boolean passed = checks.stream().allMatch(Summary.Check::passed);
        return new Summary.Verdict(passed, List.copyOf(checks));
    }

    private Summary.Check concurrencyCheck(Summary.Upstream upstream) {
        if (upstream.source().equals("none")) {
            return new Summary.Check("upstream_concurrency", true,
                    "n/a: no simulator stats (--simulator) or gateway metrics (--metrics) to read it from");
        }
        List<String> over = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        upstream.maxConcurrency().forEach((family, max) -> {
            Integer limit = upstream.limits().get(family);
            seen.add(family + " " + max + "/" + (limit == null ? "?" : limit));
            if (limit != null && max > limit) {
                over.add(family + ": " + max);
            }
        });
        String detail = over.isEmpty()
                ? "max " + String.join(", ", seen) + " on plan " + config.planTier().label() + " (" + upstream.source()
                        + ")"
                : String.join(", ", over) + " (expected: <= the " + config.planTier().label() + " plan limit; "
                        + String.join(", ", seen) + ")";
        return new Summary.Check("upstream_concurrency", over.isEmpty(), detail);
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    private static double round4(double value) {
        return Math.round(value * 10_000.0) / 10_000.0;
    }
}
