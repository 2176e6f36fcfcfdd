package dev.xigate.gateway.admin;

import dev.xigate.circuit.CircuitListener;
import dev.xigate.circuit.CircuitState;
import dev.xigate.circuit.FamilyCircuitBreakers;
import dev.xigate.health.HealthCheck;
import dev.xigate.health.HealthChecks;
import dev.xigate.health.HealthChecks.BreakerView;
import dev.xigate.metrics.GatewayMetrics;
import dev.xigate.plan.ModelFamily;
import dev.xigate.retry.Outcome;
import dev.xigate.retry.RetryDecision;
import dev.xigate.retry.RetryListener;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the resilience parts' events into metrics, warn lines and health checks: retries and fallbacks are counted
 * and logged at warn, breaker states become gauges and readiness checks, breaker transitions are logged.
 *
 * <p>Pass it as the {@link RetryListener} when installing the resilience stage, then {@link #bind} the breakers.
 * Thread-safe.
 */
public final class ResilienceMetrics implements RetryListener, CircuitListener {
    private static final Logger logger = LoggerFactory.getLogger(ResilienceMetrics.class);

    private final GatewayMetrics metrics;
    private final InstantSource clock;
    private final Map<ModelFamily, BreakerView> views = new ConcurrentHashMap<>();

    ResilienceMetrics(GatewayMetrics metrics, InstantSource clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Registers a breaker-state gauge per family, listens to transitions, and returns one readiness check per family
     * that fails once its breaker has been open longer than the alert window.
     */
    List<HealthCheck> bind(FamilyCircuitBreakers breakers, Duration alertWindow) {
        List<HealthCheck> checks = new ArrayList<>();
        Instant now = clock.instant();
        for (ModelFamily family : ModelFamily.values()) {
            views.put(family, new BreakerView(stateOf(breakers.state(family)), now));
            metrics.registerBreaker(family.label(), () -> breakers.state(family).gaugeValue());
            checks.add(HealthChecks.breaker(family.label(), () -> views.get(family), alertWindow, clock));
        }
        breakers.addListener(this);
        return checks;
    }

    @Override
    public void onRetry(String requestId, ModelFamily family, int attempt, Outcome outcome, Duration delay) {
        metrics.recordRetry(family, label(outcome));
        logger.warn("{} Upstream retry scheduled family={} attempt={} outcome={} delayMs={}", requestId,
                family.label(), attempt, label(outcome), delay.toMillis());
    }

    @Override
    public void onGiveUp(String requestId, ModelFamily family, Outcome outcome, RetryDecision.Reason reason) {
        logger.warn("{} Upstream retries given up family={} outcome={} reason={}", requestId, family.label(),
                label(outcome), reason);
    }

    @Override
    public void onFallback(String requestId, ModelFamily family, Outcome cause) {
        // Counted from the exchange record (x-xigate-cache: fallback), so that each answer counts once.
        logger.warn("{} Cached audio served as fallback family={} cause={}", requestId, family.label(), label(cause));
    }

    @Override
    public void onStateChanged(ModelFamily family, CircuitState from, CircuitState to) {
        views.put(family, new BreakerView(stateOf(to), clock.instant()));
        if (to == CircuitState.CLOSED) {
            logger.info("- Circuit closed family={} from={}", family.label(), from.label());
        } else {
            logger.warn("- Circuit state changed family={} from={} to={}", family.label(), from.label(), to.label());
        }
    }

    private static BreakerView.State stateOf(CircuitState state) {
        return switch (state) {
            case CLOSED -> BreakerView.State.CLOSED;
            case OPEN -> BreakerView.State.OPEN;
            case HALF_OPEN -> BreakerView.State.HALF_OPEN;
        };
    }

    private static String label(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }
}
