package dev.xigate.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Returns the wait before a retry, from the retry's number and a source of randomness for jitter.
 *
 * <p>Two schedules exist: {@link #exponential} ({@code min(base × 2^(n-1), max)}) and {@link #linear}
 * ({@code min(step × n, max)}). Both then apply jitter: the wait is drawn uniformly from
 * {@code [nominal × (1 - jitter), nominal]}, so it never exceeds the cap and concurrent retries spread out.
 * Immutable and thread-safe when the random generator is.
 *
 * @param kind the schedule's growth rule
 * @param base the first retry's nominal wait (exponential) or the per-retry step (linear)
 * @param max the cap on any nominal wait
 * @param jitter the fraction of the nominal wait that is randomised, 0..1
 */
public record Backoff(Kind kind, Duration base, Duration max, double jitter) {
    /** How the nominal wait grows with the retry number. */
    public enum Kind {
        /** Doubles each retry. */
        EXPONENTIAL,
        /** Grows by one step each retry. */
        LINEAR
    }

    /** Creates a backoff schedule. */
    public Backoff {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base: " + base + " (expected: > 0)");
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= base " + base + ")");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0.0..1.0)");
        }
    }

    /** Creates an exponential schedule. */
    public static Backoff exponential(Duration base, Duration max, double jitter) {
        return new Backoff(Kind.EXPONENTIAL, base, max, jitter);
    }

    /** Creates a linear schedule. */
    public static Backoff linear(Duration step, Duration max, double jitter) {
        return new Backoff(Kind.LINEAR, step, max, jitter);
    }

    /**
     * Returns the nominal wait (before jitter) before retry number {@code retry}.
     *
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    public Duration nominal(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry: " + retry + " (expected: >= 1)");
        }
        long baseNanos = base.toNanos();
        long maxNanos = max.toNanos();
        long nanos;
        if (kind == Kind.EXPONENTIAL) {
            // Shifting past 62 bits would overflow; the cap is reached long before that anyway.
            int shift = Math.min(retry - 1, 62);
            nanos = baseNanos > (maxNanos >> shift) ? maxNanos : baseNanos << shift;
        } else {
            nanos = baseNanos > maxNanos / retry ? maxNanos : baseNanos * retry;
        }
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }

    /** Returns the jittered wait before retry number {@code retry}. */
    public Duration delay(int retry, RandomGenerator random) {
        long nominalNanos = nominal(retry).toNanos();
        double factor = 1.0 - jitter * random.nextDouble();
        return Duration.ofNanos((long) (nominalNanos * factor));
    }
}
