package dev.xigate.metrics;

import dev.xigate.health.HealthCheck;
import dev.xigate.health.HealthChecks;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterEvent;
import dev.xigate.limit.LimiterListener;
import dev.xigate.limit.PoolSnapshot;
import dev.xigate.plan.ModelFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Binds a {@link Limiter}'s pools to the metrics: in-flight, effective limit and queue depth per priority as gauges
 * read from {@link Limiter#snapshot} at scrape time, and each admission's queue wait as a histogram sample.
 *
 * <p>Priority labels are {@code high}, {@code normal}, {@code low} for the default three levels, else {@code p0},
 * {@code p1}, ... (0 the highest). Thread-safe once bound.
 */
public final class LimiterMetrics implements LimiterListener {
    private static final List<String> THREE_LEVELS = List.of("high", "normal", "low");

    private final GatewayMetrics metrics;
    private final int priorityLevels;

    private LimiterMetrics(GatewayMetrics metrics, int priorityLevels) {
        this.metrics = metrics;
        this.priorityLevels = priorityLevels;
    }

    /**
     * Registers the gauges of each family's pool and starts recording queue waits.
     *
     * @param families the families the limiter has pools for
     * @param priorityLevels the limiter's priority levels
     * @return the listener added to the limiter
     */
    public static LimiterMetrics bind(Limiter limiter, Iterable<ModelFamily> families, int priorityLevels,
            GatewayMetrics metrics) {
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(families, "families");
        Objects.requireNonNull(metrics, "metrics");
        if (priorityLevels < 1) {
            throw new IllegalArgumentException("priorityLevels: " + priorityLevels + " (expected: >= 1)");
        }
        for (ModelFamily family : families) {
            metrics.registerPool(family, () -> limiter.snapshot(family).inFlight(),
                    () -> limiter.snapshot(family).limit());
            for (int level = 0; level < priorityLevels; level++) {
                int index = level;
                metrics.registerQueue(family, priorityLabel(level, priorityLevels),
                        () -> queuedAt(limiter.snapshot(family), index));
            }
        }
        LimiterMetrics listener = new LimiterMetrics(metrics, priorityLevels);
        limiter.addListener(listener);
        return listener;
    }

    /** Returns one {@code queue:<family>} health check per family, degraded at or above the alert level. */
    public static List<HealthCheck> queueChecks(Limiter limiter, Iterable<ModelFamily> families, int alertLevel) {
        List<HealthCheck> checks = new ArrayList<>();
        for (ModelFamily family : families) {
            checks.add(HealthChecks.queue(family.label(), () -> limiter.snapshot(family).queued(), alertLevel));
        }
        return checks;
    }

    /** Returns the label of a priority level: high/normal/low with three levels, else p0, p1, ... */
    public static String priorityLabel(int level, int levels) {
        if (levels == THREE_LEVELS.size() && level >= 0 && level < levels) {
            return THREE_LEVELS.get(level);
        }
        return "p" + level;
    }

    @Override
    public void onEvent(LimiterEvent event) {
        switch (event) {
            case LimiterEvent.Admitted admitted -> metrics.recordQueueWait(admitted.family(),
                    priorityLabel(levelOf(admitted.request().priority()), priorityLevels),
                    admitted.queueWait().toNanos());
            case LimiterEvent.Cancelled cancelled -> metrics.recordQueueWait(cancelled.family(),
                    priorityLabel(levelOf(cancelled.request().priority()), priorityLevels),
                    cancelled.waited().toNanos());
            default -> {
                // Rejections are counted from the request outcome; limit changes show in the limit gauge.
            }
        }
    }

    private int levelOf(int priority) {
        // The limiter serves a priority beyond its levels at the lowest level.
        return Math.min(priority, priorityLevels - 1);
    }

    private static int queuedAt(PoolSnapshot snapshot, int level) {
        List<Integer> byPriority = snapshot.queuedByPriority();
        return level < byPriority.size() ? byPriority.get(level) : 0;
    }
}
