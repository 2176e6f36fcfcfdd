package dev.xigate.gateway.resilience;

import dev.xigate.cache.AudioCache;
import dev.xigate.cache.CachePolicy;
import dev.xigate.circuit.CircuitState;
import dev.xigate.circuit.FamilyCircuitBreakers;
import dev.xigate.circuit.SlowStart;
import dev.xigate.coalesce.Coalescer;
import dev.xigate.gateway.Gateway;
import dev.xigate.limit.Limiter;
import dev.xigate.plan.ModelFamily;
import dev.xigate.retry.RetryBudget;
import dev.xigate.retry.RetryListener;
import dev.xigate.retry.RetryPolicy;
import dev.xigate.retry.Sleeper;
import dev.xigate.retry.StreamWatchdog;
import dev.xigate.retry.UpstreamExecutor;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Creates the gateway's resilience parts from settings and installs them into a {@link Gateway.Builder}: the audio
 * cache and coalescing stage first, then the retry/breaker/fallback stage, both before admission; the attempt
 * slow-start gate and timeout after admission; the breaker monitor; and the admin routes {@code GET /admin/circuit} and
 * {@code POST /admin/circuit/reset?family=...}. Close it after the gateway. Thread-safe.
 *
 * <pre>{@code
 * Gateway.Builder builder = Gateway.builder(config).limiter(limiter).apiKey(key);
 * try (Resilience resilience = Resilience.install(builder, ResilienceSettings.ofDefaults(), limiter);
 *         Gateway gateway = builder.start()) { ... }
 * }</pre>
 */
public final class Resilience implements AutoCloseable {
    /** The admin path that lists breaker states. */
    public static final String CIRCUIT_PATH = "/admin/circuit";
    /** The admin path that closes a family's breaker by hand. */
    public static final String RESET_PATH = "/admin/circuit/reset";

    private final FamilyCircuitBreakers breakers;
    private final AudioCache cache;
    private final Coalescer coalescer;
    private final RetryBudget budget;
    private final StreamWatchdog watchdog;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService flights;
    private final AtomicLong streamFailures = new AtomicLong();
    private final ResilienceStep resilienceStep;
    private final AudioCacheStep cacheStep;
    private final AttemptTimeoutStep timeoutStep;

    private Resilience(ResilienceSettings settings, Clock clock, LongSupplier nanoClock, RetryListener listener) {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("xigate-resilience")
                .factory());
        flights = Executors.newVirtualThreadPerTaskExecutor();
        breakers = new FamilyCircuitBreakers(settings.circuit(), clock,
                new SlowStart(settings.circuit().slowStartDuration(), nanoClock));
        budget = new RetryBudget(settings.retry().budgetRatio(), settings.retry().budgetMinRetries(),
                settings.retry().budgetWindow(), nanoClock);
        cache = settings.cache().create(clock, nanoClock);
        coalescer = settings.coalescing() ? new Coalescer(settings.cache().maxEntryBytes(), flights) : null;
        watchdog = new StreamWatchdog(settings.streamIdleTimeout(), scheduler, nanoClock);
        breakers.start(scheduler);
        UpstreamExecutor executor = new UpstreamExecutor(new RetryPolicy(settings.retry(), budget,
                RandomGenerator.of("L64X128MixRandom")), breakers, Sleeper.system(), nanoClock, clock, listener);
        this.resilienceStep = new ResilienceStep(executor, settings, cache, watchdog, streamFailures::incrementAndGet);
        this.cacheStep = new AudioCacheStep(cache, new CachePolicy(settings.cache()), coalescer, clock);
        this.timeoutStep = new AttemptTimeoutStep(flights);
    }

    /** Creates the parts on the system clocks and installs them, without the slow-start gate (no limiter given). */
    public static Resilience install(Gateway.Builder builder, ResilienceSettings settings) {
        return install(builder, settings, null);
    }

    /**
     * Creates the parts and installs them, without the slow-start gate (no limiter given); kept for callers written
     * before the limiter parameter existed.
     */
    public static Resilience install(Gateway.Builder builder, ResilienceSettings settings, Clock clock,
            LongSupplier nanoClock, RetryListener listener) {
        return install(builder, settings, null, clock, nanoClock, listener);
    }

    /**
     * Creates the parts on the system clocks and installs them.
     *
     * @param builder the gateway being built
     * @param settings how the parts behave
     * @param limiter the gateway's limiter (the slow-start gate reads pool limits from it), or {@code null} for no
     *     slow start
     */
    public static Resilience install(Gateway.Builder builder, ResilienceSettings settings, Limiter limiter) {
        return install(builder, settings, limiter, Clock.systemUTC(), System::nanoTime, RetryListener.NONE);
    }

    /** Creates the parts and installs them into the builder. */
    public static Resilience install(Gateway.Builder builder, ResilienceSettings settings, Limiter limiter,
            Clock clock, LongSupplier nanoClock, RetryListener listener) {
        Objects.requireNonNull(builder, "builder");
        Resilience resilience = new Resilience(settings, clock, nanoClock, listener);
        builder.addBeforeAdmission(resilience.cacheStep);
        builder.addBeforeAdmission(resilience.resilienceStep);
        if (limiter != null) {
            builder.addAfterAdmission(new SlowStartStep(resilience.breakers.slowStart(), limiter,
                    settings.retry().overallDeadline()));
        }
        builder.addAfterAdmission(resilience.timeoutStep);
        builder.adminRoutes().get(CIRCUIT_PATH, (req, res) -> {
            res.header("Content-Type", "application/json");
            res.send(resilience.circuitJson());
        });
        builder.adminRoutes().post(RESET_PATH, (req, res) -> {
            String family = req.query().first("family").orElse("");
            try {
                resilience.breakers.reset(ModelFamily.fromLabel(family));
                res.header("Content-Type", "application/json");
                res.send(resilience.circuitJson());
            } catch (IllegalArgumentException unknown) {
                res.status(400);
                res.header("Content-Type", "application/json");
                res.send("{\"detail\":{\"type\":\"validation_error\",\"code\":\"invalid_parameters\","
                        + "\"status\":\"invalid_parameters\",\"message\":\"" + unknown.getMessage()
                        + "\",\"param\":\"family\"}}");
            }
        });
        return resilience;
    }

    /** Returns the breakers. */
    public FamilyCircuitBreakers breakers() {
        return breakers;
    }

    /** Returns the audio cache. */
    public AudioCache cache() {
        return cache;
    }

    /** Returns the coalescer, or {@code null} when coalescing is off. */
    public Coalescer coalescer() {
        return coalescer;
    }

    /** Returns the retry budget. */
    public RetryBudget budget() {
        return budget;
    }

    /** Returns how many upstream bodies were cut or stalled midway. */
    public long streamFailures() {
        return streamFailures.get();
    }

    private String circuitJson() {
        StringBuilder json = new StringBuilder("{");
        for (ModelFamily family : ModelFamily.values()) {
            CircuitState state = breakers.state(family);
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(family.label()).append("\":\"").append(state.label().toLowerCase(Locale.ROOT))
                    .append('"');
        }
        return json.append('}').toString();
    }

    @Override
    public void close() {
        breakers.close();
        scheduler.shutdownNow();
        flights.shutdownNow();
        cache.close();
    }
}
