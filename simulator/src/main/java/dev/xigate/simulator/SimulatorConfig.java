package dev.xigate.simulator;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Creates the settings of one simulated ElevenLabs account: plan tier, listening address, accepted keys, limits,
 * latency, quota and initial chaos. Immutable.
 * <pre>{@code
 * SimulatorConfig config = SimulatorConfig.builder().plan(PlanTier.PRO).port(0).latencyScale(0.1).build();
 * }</pre>
 *
 * @param plan the plan whose concurrency table applies
 * @param host the bind address (loopback by default)
 * @param port the TCP port; 0 picks a free one
 * @param apiKeys the accepted {@code xi-api-key} values; empty accepts any non-empty key
 * @param limits concurrency limits per family that replace the plan's
 * @param latency the latency profile of each family
 * @param latencyScale a factor applied to every simulated delay (1 = realistic, 0 = as fast as possible)
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param characterLimit the credit quota of each key; a request that would exceed it gets 401 quota_exceeded
 * @param chaos the chaos in effect at start
 */
public record SimulatorConfig(
        PlanTier plan,
        String host,
        int port,
        Set<String> apiKeys,
        Map<ModelFamily, Integer> limits,
        Map<ModelFamily, LatencyProfile> latency,
        double latencyScale,
        long maxBodyBytes,
        long characterLimit,
        ChaosConfig chaos) {
    /** The default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default request body limit: 50 MiB (speech-to-text uploads included). */
    public static final long DEFAULT_MAX_BODY_BYTES = 50L * 1024 * 1024;

    /** Creates a configuration. */
    public SimulatorConfig {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(chaos, "chaos");
        apiKeys = Set.copyOf(apiKeys);
        limits = Map.copyOf(limits);
        EnumMap<ModelFamily, LatencyProfile> complete = new EnumMap<>(defaultLatency());
        complete.putAll(latency);
        latency = Map.copyOf(complete);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        if (!(latencyScale >= 0)) {
            throw new IllegalArgumentException("latencyScale: " + latencyScale + " (expected: >= 0)");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 1)");
        }
        if (characterLimit < 0) {
            throw new IllegalArgumentException("characterLimit: " + characterLimit + " (expected: >= 0)");
        }
        limits.forEach((family, limit) -> {
            if (limit < 0) {
                throw new IllegalArgumentException("limit " + family.label() + ": " + limit + " (expected: >= 0)");
            }
        });
    }

    /** Returns the configuration of a Pro account on a free loopback port. */
    public static SimulatorConfig ofDefaults() {
        return builder().build();
    }

    /** Creates a builder with the defaults: Pro plan, 127.0.0.1, port 0, any key, realistic latency. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the default latency of each family, close to published figures: Flash/Turbo about 75 ms to the first
     * byte, Multilingual v2 about 300 ms, and generation well faster than real time.
     */
    public static Map<ModelFamily, LatencyProfile> defaultLatency() {
        EnumMap<ModelFamily, LatencyProfile> map = new EnumMap<>(ModelFamily.class);
        map.put(ModelFamily.TURBO_FLASH, LatencyProfile.ofMillis(75, 1.5));
        map.put(ModelFamily.MULTILINGUAL, LatencyProfile.ofMillis(300, 5.0));
        map.put(ModelFamily.STT, LatencyProfile.ofMillis(250, 40.0));
        map.put(ModelFamily.MUSIC, LatencyProfile.ofMillis(1_500, 100.0));
        map.put(ModelFamily.DEFAULT, LatencyProfile.ofMillis(800, 300.0));
        return map;
    }

    /** Returns the concurrency limit of a family: the override if any, else the plan's. */
    public int limit(ModelFamily family) {
        Integer override = limits.get(family);
        return override != null ? override : plan.concurrencyLimit(family);
    }

    /** Returns whether the key may call the API. */
    public boolean accepts(String apiKey) {
        return !apiKey.isEmpty() && (apiKeys.isEmpty() || apiKeys.contains(apiKey));
    }

    /** Returns a builder holding this configuration. */
    public Builder toBuilder() {
        Builder builder = new Builder().plan(plan).host(host).port(port).apiKeys(apiKeys).latencyScale(latencyScale)
                .maxBodyBytes(maxBodyBytes).chaos(chaos);
        builder.characterLimit = characterLimit;
        builder.limits.putAll(limits);
        builder.latency.putAll(latency);
        return builder;
    }

    /** Builds a {@link SimulatorConfig}. Not thread-safe. */
    public static final class Builder {
        private final Map<ModelFamily, Integer> limits = new EnumMap<>(ModelFamily.class);
        private final Map<ModelFamily, LatencyProfile> latency = new EnumMap<>(ModelFamily.class);
        private PlanTier plan = PlanTier.PRO;
        private String host = DEFAULT_HOST;
        private int port;
        private Set<String> apiKeys = Set.of();
        private double latencyScale = 1.0;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Long characterLimit;
        private ChaosConfig chaos = ChaosConfig.none();

        private Builder() {
        }

        /** Sets the plan tier (default {@link PlanTier#PRO}). */
        public Builder plan(PlanTier value) {
            this.plan = Objects.requireNonNull(value, "plan");
            return this;
        }

        /** Sets the bind address (default {@value SimulatorConfig#DEFAULT_HOST}). */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** Sets the port; 0 (the default) picks a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Sets the accepted API keys; empty (the default) accepts any non-empty key. */
        public Builder apiKeys(Set<String> value) {
            this.apiKeys = Set.copyOf(value);
            return this;
        }

        /**
         * Sets a concurrency limit that replaces the plan's for one family (default: the plan's).
         *
         * @throws IllegalArgumentException if the limit is negative
         */
        public Builder limit(ModelFamily family, int value) {
            if (value < 0) {
                throw new IllegalArgumentException("limit " + family.label() + ": " + value + " (expected: >= 0)");
            }
            limits.put(Objects.requireNonNull(family, "family"), value);
            return this;
        }

        /** Sets the latency profile of one family (default: {@link #defaultLatency()}). */
        public Builder latency(ModelFamily family, LatencyProfile value) {
            latency.put(Objects.requireNonNull(family, "family"), Objects.requireNonNull(value, "latency"));
            return this;
        }

        /**
         * Sets a factor applied to every simulated delay (default 1; tests often use 0.05 to 0.2).
         *
         * @throws IllegalArgumentException if the factor is negative
         */
        public Builder latencyScale(double value) {
            if (!(value >= 0)) {
                throw new IllegalArgumentException("latencyScale: " + value + " (expected: >= 0)");
            }
            this.latencyScale = value;
            return this;
        }

        /** Sets the largest accepted request body in bytes (default 50 MiB). */
        public Builder maxBodyBytes(long value) {
            this.maxBodyBytes = value;
            return this;
        }

        /** Sets the credit quota of each key (default: the plan's monthly characters). */
        public Builder characterLimit(long value) {
            this.characterLimit = value;
            return this;
        }

        /** Sets the chaos in effect at start (default: none). */
        public Builder chaos(ChaosConfig value) {
            this.chaos = Objects.requireNonNull(value, "chaos");
            return this;
        }

        /** Creates the configuration. */
        public SimulatorConfig build() {
            long quota = characterLimit != null ? characterLimit : plan.monthlyCharacters();
            return new SimulatorConfig(plan, host, port, apiKeys, limits, latency, latencyScale, maxBodyBytes, quota,
                    chaos);
        }
    }
}
