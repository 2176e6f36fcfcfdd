package dev.xigate.circuit;

import dev.xigate.plan.ModelFamily;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one circuit breaker per model family pool and answers whether a call may go upstream.
 *
 * <p>Each breaker is a Resilience4j {@link CircuitBreaker} set up so that its rule is "N consecutive counted
 * failures open it": a COUNT_BASED window of N calls, at least N calls recorded, and a 100 % failure-rate threshold
 * open the breaker exactly when the last N counted calls all failed. Ignored results (429s, client errors) release
 * their permission without entering the window, so they neither count nor break a streak. Half-open: Resilience4j
 * would close on a failure rate below 100 % over the probes; xigate reopens on the first failed probe instead (the
 * listener below forces the transition), so the breaker closes only when all probes succeed.
 *
 * <p>States: CLOSED → OPEN (threshold reached) → HALF_OPEN (open duration over, seen by the next call or the
 * monitor) → CLOSED (all probes succeeded; the family's {@link SlowStart} ramp begins) or OPEN again. An admin
 * {@link #reset} closes a breaker by hand. Thread-safe.
 */
public final class FamilyCircuitBreakers implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(FamilyCircuitBreakers.class);

    private final CircuitConfig config;
    private final Clock clock;
    private final SlowStart slowStart;
    private final Map<ModelFamily, CircuitBreaker> breakers = new EnumMap<>(ModelFamily.class);
    // Written by the state-transition callback, read by callers asking for Retry-After.
    private final Map<ModelFamily, Instant> openUntil = new ConcurrentHashMap<>();
    private final List<CircuitListener> listeners = new CopyOnWriteArrayList<>();
    // Set once by start(); cancelled by close().
    private volatile ScheduledFuture<?> monitor;

    /**
     * Creates the breakers, all closed.
     *
     * @param config thresholds and durations
     * @param clock the time source (Resilience4j's open-state timer runs on it too)
     * @param slowStart the ramp begun when a breaker closes again
     */
    public FamilyCircuitBreakers(CircuitConfig config, Clock clock, SlowStart slowStart) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.slowStart = Objects.requireNonNull(slowStart, "slowStart");
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindow(config.failureThreshold(), config.failureThreshold(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100.0f)
                .slowCallRateThreshold(100.0f)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .waitDurationInOpenState(config.openDuration())
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenProbes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(failure -> true)
                .clock(clock)
                .build();
        for (ModelFamily family : ModelFamily.values()) {
            CircuitBreaker breaker = CircuitBreaker.of("upstream-" + family.label(), breakerConfig);
            breaker.getEventPublisher().onStateTransition(event -> onTransition(family, event));
            breakers.put(family, breaker);
        }
    }

    /** Returns the config. */
    public CircuitConfig config() {
        return config;
    }

    /** Returns the slow start the breakers drive. */
    public SlowStart slowStart() {
        return slowStart;
    }

    /** Adds a listener for state changes, samples and rejections. */
    public void addListener(CircuitListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Returns whether a call of {@code family} may go upstream now. A permitted call must record its result on
     * the returned {@link CircuitCall}.
     */
    public CircuitPermission tryEnter(ModelFamily family) {
        CircuitBreaker breaker = breaker(family);
        if (breaker.tryAcquirePermission()) {
            return new CircuitPermission.Permitted(new CircuitCall(breaker, clock, this::reopen));
        }
        listeners.forEach(listener -> listener.onCallRejected(family));
        return new CircuitPermission.Rejected(retryAfter(family));
    }

    /** Returns the current state of a family's breaker. */
    public CircuitState state(ModelFamily family) {
        return toState(breaker(family).getState());
    }

    /** Returns the wait until a family's open breaker lets probes through (at least one second). */
    public Duration retryAfter(ModelFamily family) {
        Instant until = openUntil.get(family);
        Duration remaining = until == null ? Duration.ZERO : Duration.between(clock.instant(), until);
        return remaining.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : remaining;
    }

    /** Closes a family's breaker by hand and clears its failure count (the admin action). */
    public void reset(ModelFamily family) {
        logger.debug("Circuit breaker reset by hand family={}", family.label());
        breaker(family).reset();
    }

    /**
     * Samples every breaker's state now: moves an open breaker whose open duration is over to half-open (so the
     * state metric does not lag until the next call) and reports each state to the listeners.
     */
    public void sampleStates() {
        for (Map.Entry<ModelFamily, CircuitBreaker> entry : breakers.entrySet()) {
            CircuitBreaker breaker = entry.getValue();
            Instant until = openUntil.get(entry.getKey());
            if (breaker.getState() == CircuitBreaker.State.OPEN && until != null && !clock.instant().isBefore(until)) {
                breaker.transitionToHalfOpenState();
            }
            CircuitState state = toState(breaker.getState());
            listeners.forEach(listener -> listener.onStateSampled(entry.getKey(), state));
        }
    }

    /**
     * Starts sampling every {@link CircuitConfig#monitorInterval()} on the given scheduler.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (monitor != null) {
            throw new IllegalStateException("cannot start circuit monitor: already started");
        }
        long periodMillis = config.monitorInterval().toMillis();
        monitor = scheduler.scheduleAtFixedRate(this::sampleSafely, periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Stops the monitor (the scheduler itself belongs to the caller). */
    @Override
    public synchronized void close() {
        if (monitor != null) {
            monitor.cancel(false);
        }
    }

    private void sampleSafely() {
        try {
            sampleStates();
        } catch (RuntimeException failure) {
            // A throwing task would cancel the periodic schedule for good; keep sampling instead.
            logger.warn("- Circuit state sampling failed", failure);
        }
    }

    private CircuitBreaker breaker(ModelFamily family) {
        return breakers.get(Objects.requireNonNull(family, "family"));
    }

    private void reopen(CircuitBreaker breaker) {
        // Resilience4j may already have reopened it (all probes failed); otherwise one failed probe suffices.
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            breaker.transitionToOpenState();
        }
    }

    private void onTransition(ModelFamily family, CircuitBreakerOnStateTransitionEvent event) {
        CircuitState from = toState(event.getStateTransition().getFromState());
        CircuitState to = toState(event.getStateTransition().getToState());
        if (to == CircuitState.OPEN) {
            openUntil.put(family, clock.instant().plus(config.openDuration()));
        } else {
            openUntil.remove(family);
        }
        if (to == CircuitState.CLOSED && from != CircuitState.CLOSED) {
            slowStart.begin(family);
        }
        logger.debug("Circuit breaker state changed family={} from={} to={}", family.label(), from.label(),
                to.label());
        if (from != to) {
            listeners.forEach(listener -> listener.onStateChanged(family, from, to));
        }
    }

    private static CircuitState toState(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> CircuitState.CLOSED;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
        };
    }
}
