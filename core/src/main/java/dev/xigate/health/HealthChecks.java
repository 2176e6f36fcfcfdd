package dev.xigate.health;

import dev.xigate.metrics.QuotaStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Creates the gateway's standard health checks: upstream key, pool queues, circuit breakers and Redis.
 *
 * <p>Which verdicts make the instance not ready: the upstream rejecting the key, a breaker open longer than its
 * alert window, and Redis not answering when configured. A deep queue or an upstream that did not answer the last
 * quota poll is {@code DEGRADED}: other instances would not do better, so taking this one out would not help.
 */
public final class HealthChecks {
    private HealthChecks() {
    }

    /**
     * Creates the {@code upstream} check from the quota poller's last result.
     *
     * @param latest supplies the last poll result ({@code QuotaPoller::latest})
     * @param maxAge a result older than this is reported stale ({@code DEGRADED})
     */
    public static HealthCheck upstream(Supplier<QuotaStatus> latest, Duration maxAge, InstantSource clock) {
        Objects.requireNonNull(latest, "latest");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(clock, "clock");
        return HealthCheck.of("upstream", () -> upstreamResult(latest.get(), maxAge, clock.instant()));
    }

    /**
     * Creates a {@code queue:<pool>} check: {@code DEGRADED} when the pool's queue is at or above its alert level.
     */
    public static HealthCheck queue(String pool, IntSupplier depth, int alertLevel) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(depth, "depth");
        if (alertLevel < 1) {
            throw new IllegalArgumentException("alertLevel: " + alertLevel + " (expected: >= 1)");
        }
        return HealthCheck.of("queue:" + pool, () -> {
            int current = depth.getAsInt();
            String detail = "queue depth " + current + " (alert at " + alertLevel + ")";
            return current < alertLevel ? CheckResult.up(detail) : CheckResult.degraded(detail);
        });
    }

    /**
     * Creates a {@code breaker:<name>} check: {@code DOWN} once the breaker has been open longer than the window.
     *
     * @param view supplies the breaker's state and since when it holds
     * @param alertWindow how long a breaker may stay open before the instance stops being ready
     */
    public static HealthCheck breaker(String name, Supplier<BreakerView> view, Duration alertWindow,
            InstantSource clock) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(alertWindow, "alertWindow");
        Objects.requireNonNull(clock, "clock");
        return HealthCheck.of("breaker:" + name, () -> breakerResult(view.get(), alertWindow, clock.instant()));
    }

    /**
     * Creates the {@code redis} check: {@code DOWN} when the ping fails or returns false.
     *
     * @param ping returns true when Redis answered (for example a PING with a short timeout)
     */
    public static HealthCheck redis(Callable<Boolean> ping) {
        Objects.requireNonNull(ping, "ping");
        return HealthCheck.of("redis", () -> {
            try {
                return Boolean.TRUE.equals(ping.call()) ? CheckResult.up("ping answered")
                        : CheckResult.down("ping not answered");
            } catch (Exception e) {
                return CheckResult.down("ping failed: " + e.getClass().getSimpleName());
            }
        });
    }

    static CheckResult upstreamResult(QuotaStatus status, Duration maxAge, Instant now) {
        if (status instanceof QuotaStatus.Unknown) {
            return CheckResult.degraded("no subscription poll has finished yet");
        }
        long ageSeconds = Duration.between(status.at(), now).toSeconds();
        if (status instanceof QuotaStatus.Rejected rejected) {
            return CheckResult.down("upstream rejected the configured key: http " + rejected.httpStatus() + " "
                    + rejected.reason() + " (" + ageSeconds + " s ago)");
        }
        if (Duration.between(status.at(), now).compareTo(maxAge) > 0) {
            return CheckResult.degraded("last subscription poll is " + ageSeconds + " s old (max "
                    + maxAge.toSeconds() + " s)");
        }
        return switch (status) {
            case QuotaStatus.Known known -> CheckResult.up(String.format(Locale.ROOT,
                    "key accepted, quota used %.1f%%", known.usedPercentage()));
            case QuotaStatus.Unreachable unreachable -> CheckResult.degraded("upstream unreachable: "
                    + unreachable.reason());
            default -> throw new IllegalStateException("unexpected quota status: " + status);
        };
    }

    static CheckResult breakerResult(BreakerView view, Duration alertWindow, Instant now) {
        Duration held = Duration.between(view.since(), now);
        String detail = "breaker " + view.state().name().toLowerCase(Locale.ROOT) + " for "
                + held.toSeconds() + " s";
        return switch (view.state()) {
            case CLOSED -> CheckResult.up(detail);
            case HALF_OPEN -> CheckResult.degraded(detail + ", trial calls pass");
            case OPEN -> held.compareTo(alertWindow) > 0
                    ? CheckResult.down(detail + " (longer than the alert window of " + alertWindow.toSeconds()
                            + " s)")
                    : CheckResult.degraded(detail + " (ready until " + alertWindow.toSeconds() + " s)");
        };
    }

    /**
     * Returns a breaker's state and since when it holds, as a health check reads it. Immutable.
     *
     * @param state the current state
     * @param since when the breaker entered it
     */
    public record BreakerView(State state, Instant since) {
        /** Creates a view. */
        public BreakerView {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(since, "since");
        }

        /** A breaker's state. */
        public enum State {
            /** Calls pass. */
            CLOSED,
            /** Calls are refused. */
            OPEN,
            /** Trial calls pass. */
            HALF_OPEN
        }
    }
}
