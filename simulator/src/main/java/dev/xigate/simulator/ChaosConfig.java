package dev.xigate.simulator;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Creates disorder on purpose: failure rates per fault kind, extra latency, and concurrency limits that differ from
 * the plan. Applies to the generation endpoints (text-to-speech, speech-to-text, sound effects, music) only.
 *
 * <p>Each generation request draws at most one fault: the kinds are tried in declaration order of
 * {@link FaultKind}, each with its own probability. Immutable; set it with {@link Simulator#chaos(ChaosConfig)} or
 * {@code POST /_sim/chaos}.
 * <pre>{@code
 * sim.chaos(ChaosConfig.builder().failureRate(FaultKind.ERROR_503, 0.2).limit(ModelFamily.MULTILINGUAL, 3).build());
 * }</pre>
 *
 * @param failureRates the probability of each fault kind per request, each in {@code [0, 1]}
 * @param extraLatency latency added to every generation request's time to first byte
 * @param extraJitter a random extra delay, uniform in {@code [0, extraJitter]}, added on top
 * @param retryAfterSeconds the {@code Retry-After} value sent with injected 429 {@code system_busy} and 503
 *     answers; 0 sends none
 * @param stall how long a {@link FaultKind#STREAM_STALL} stream stays silent before its connection is closed
 * @param limits concurrency limits per family that replace the plan's (and the configured overrides)
 */
public record ChaosConfig(
        Map<FaultKind, Double> failureRates,
        Duration extraLatency,
        Duration extraJitter,
        int retryAfterSeconds,
        Duration stall,
        Map<ModelFamily, Integer> limits) {
    /** The default {@code Retry-After} of injected {@code system_busy} and 503 answers, in seconds. */
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;
    /** The default silence of a stalled stream. */
    public static final Duration DEFAULT_STALL = Duration.ofSeconds(30);
    private static final ChaosConfig NONE = builder().build();

    /** Creates a chaos configuration. */
    public ChaosConfig {
        failureRates = Map.copyOf(failureRates);
        limits = Map.copyOf(limits);
        Objects.requireNonNull(extraLatency, "extraLatency");
        Objects.requireNonNull(extraJitter, "extraJitter");
        Objects.requireNonNull(stall, "stall");
        failureRates.forEach((kind, rate) -> {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("failure rate " + kind.label() + ": " + rate + " (expected: 0..1)");
            }
        });
        limits.forEach((family, limit) -> {
            if (limit < 0) {
                throw new IllegalArgumentException("limit " + family.label() + ": " + limit + " (expected: >= 0)");
            }
        });
        if (extraLatency.isNegative() || extraJitter.isNegative() || stall.isNegative()) {
            throw new IllegalArgumentException("durations: negative (expected: >= 0)");
        }
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds: " + retryAfterSeconds + " (expected: >= 0)");
        }
    }

    /** Returns the configuration without any chaos. */
    public static ChaosConfig none() {
        return NONE;
    }

    /** Creates a builder with no chaos. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the failure rate of one kind (0 when unset). */
    public double failureRate(FaultKind kind) {
        return failureRates.getOrDefault(kind, 0.0);
    }

    /** Returns a builder holding this configuration. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.failureRates.putAll(failureRates);
        builder.limits.putAll(limits);
        return builder.extraLatency(extraLatency).extraJitter(extraJitter).retryAfterSeconds(retryAfterSeconds)
                .stall(stall);
    }

    /** Builds a {@link ChaosConfig}; every setter's default is "no chaos". Not thread-safe. */
    public static final class Builder {
        private final Map<FaultKind, Double> failureRates = new EnumMap<>(FaultKind.class);
        private final Map<ModelFamily, Integer> limits = new EnumMap<>(ModelFamily.class);
        private Duration extraLatency = Duration.ZERO;
        private Duration extraJitter = Duration.ZERO;
        private int retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;
        private Duration stall = DEFAULT_STALL;

        private Builder() {
        }

        /**
         * Sets the probability of a fault per generation request (default 0).
         *
         * @throws IllegalArgumentException if the rate is outside {@code [0, 1]}
         */
        public Builder failureRate(FaultKind kind, double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("failure rate " + kind.label() + ": " + rate + " (expected: 0..1)");
            }
            failureRates.put(kind, rate);
            return this;
        }

        /** Sets latency added to every generation request (default 0). */
        public Builder extraLatency(Duration value) {
            this.extraLatency = Objects.requireNonNull(value, "extraLatency");
            return this;
        }

        /** Sets the bound of a random extra delay added to every generation request (default 0). */
        public Builder extraJitter(Duration value) {
            this.extraJitter = Objects.requireNonNull(value, "extraJitter");
            return this;
        }

        /** Sets the {@code Retry-After} seconds of injected 429 and 503 answers; 0 sends none (default 1). */
        public Builder retryAfterSeconds(int value) {
            this.retryAfterSeconds = value;
            return this;
        }

        /** Sets how long a stalled stream stays silent before its connection is closed (default 30 s). */
        public Builder stall(Duration value) {
            this.stall = Objects.requireNonNull(value, "stall");
            return this;
        }

        /**
         * Sets a concurrency limit for a family that replaces the plan's (default: none).
         *
         * @throws IllegalArgumentException if the limit is negative
         */
        public Builder limit(ModelFamily family, int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit " + family.label() + ": " + limit + " (expected: >= 0)");
            }
            limits.put(family, limit);
            return this;
        }

        /** Creates the configuration. */
        public ChaosConfig build() {
            return new ChaosConfig(failureRates, extraLatency, extraJitter, retryAfterSeconds, stall, limits);
        }
    }
}
