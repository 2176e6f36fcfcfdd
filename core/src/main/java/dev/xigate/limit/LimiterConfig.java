package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the limiter's settings: one {@link PoolConfig} per model family plus the queue, aging, client and adaptive
 * settings shared by all pools. Immutable; build it with {@link #builder()}:
 * <pre>{@code
 * LimiterConfig config = LimiterConfig.builder()
 *         .plan(PlanTier.CREATOR)
 *         .maxQueue(200)
 *         .maxWait(Duration.ofSeconds(20))
 *         .clientPolicies(RatePolicy.characterBudget(50_000, Duration.ofHours(1)))
 *         .build();
 * }</pre>
 *
 * @param pools the settings of every family's pool
 * @param priorityLevels how many priority levels the queues have (0 is the highest)
 * @param agingInterval how long a request waits before it moves up one level; {@link Duration#ZERO} disables aging
 * @param clientPolicies rate policies applied to each client separately (each client has its own state), across all
 *     families, unless the client has an override
 * @param clientOverrides per-client replacements of {@code clientPolicies}, by client name
 * @param adaptive whether limits follow the upstream's headers and 429 answers
 * @param probeInterval how long without a 429 and without headers before the limit grows back by one
 * @param nanoClock the monotonic clock in nanoseconds
 * @param scheduler runs the pools' timers
 * @param permitStore creates the store of permits and rate state
 */
public record LimiterConfig(Map<ModelFamily, PoolConfig> pools, int priorityLevels, Duration agingInterval,
        List<RatePolicy> clientPolicies, Map<String, List<RatePolicy>> clientOverrides, boolean adaptive,
        Duration probeInterval, LongSupplier nanoClock, LimiterScheduler scheduler,
        Supplier<PermitStore> permitStore) {
    private static final Logger logger = LoggerFactory.getLogger(LimiterConfig.class);
    /** The default number of priority levels. */
    public static final int DEFAULT_PRIORITY_LEVELS = 3;
    /** The most priority levels accepted. */
    public static final int MAX_PRIORITY_LEVELS = 16;
    /** The default aging interval. */
    public static final Duration DEFAULT_AGING_INTERVAL = Duration.ofSeconds(5);
    /** The default probe interval. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(30);
    /** The plan whose table gives the default limits. */
    public static final PlanTier DEFAULT_PLAN = PlanTier.STARTER;

    /**
     * Creates settings; every family must have a pool.
     *
     * @throws IllegalArgumentException if a value is outside its range or a family has no pool
     */
    public LimiterConfig {
        Objects.requireNonNull(agingInterval, "agingInterval");
        Objects.requireNonNull(probeInterval, "probeInterval");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(permitStore, "permitStore");
        EnumMap<ModelFamily, PoolConfig> copy = new EnumMap<>(ModelFamily.class);
        copy.putAll(pools);
        for (ModelFamily family : ModelFamily.values()) {
            if (copy.get(family) == null) {
                throw new IllegalArgumentException("pools: no pool for " + family.label()
                        + " (expected: one pool per model family)");
            }
        }
        pools = Collections.unmodifiableMap(copy);
        clientPolicies = List.copyOf(clientPolicies);
        Map<String, List<RatePolicy>> overrides = new HashMap<>();
        clientOverrides.forEach((name, list) -> overrides.put(name, List.copyOf(list)));
        clientOverrides = Map.copyOf(overrides);
        checkPriorityLevels(priorityLevels);
        checkNotNegative("agingInterval", agingInterval);
        checkPositive("probeInterval", probeInterval);
    }

    /** Returns the settings with every default: the {@link #DEFAULT_PLAN} table, 100 queued, 30 s wait. */
    public static LimiterConfig ofDefaults() {
        return builder().build();
    }

    /** Returns the default settings with the limits of this plan. */
    public static LimiterConfig forPlan(PlanTier plan) {
        return builder().plan(plan).build();
    }

    /** Creates a builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns the settings of the family's pool. */
    public PoolConfig pool(ModelFamily family) {
        return pools.get(family);
    }

    /** Returns the rate policies that apply to this client. */
    public List<RatePolicy> policiesOf(String clientName) {
        return clientOverrides.getOrDefault(clientName, clientPolicies);
    }

    static void checkPriorityLevels(int levels) {
        if (levels < 1 || levels > MAX_PRIORITY_LEVELS) {
            throw new IllegalArgumentException("priorityLevels: " + levels + " (expected: 1.." + MAX_PRIORITY_LEVELS
                    + ")");
        }
    }

    static void checkNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }

    static void checkPositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    /** Builds a {@link LimiterConfig}; each setter validates its argument at once. */
    public static final class Builder {
        private final EnumMap<ModelFamily, PoolConfig> pools = new EnumMap<>(ModelFamily.class);
        private int priorityLevels = DEFAULT_PRIORITY_LEVELS;
        private Duration agingInterval = DEFAULT_AGING_INTERVAL;
        private List<RatePolicy> clientPolicies = List.of();
        private final Map<String, List<RatePolicy>> clientOverrides = new HashMap<>();
        private boolean adaptive = true;
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private LongSupplier nanoClock = System::nanoTime;
        private LimiterScheduler scheduler = LimiterScheduler.shared();
        private Supplier<PermitStore> permitStore = InMemoryPermitStore::new;

        private Builder() {
            plan(DEFAULT_PLAN);
        }

        private Builder(LimiterConfig config) {
            pools.putAll(config.pools);
            priorityLevels = config.priorityLevels;
            agingInterval = config.agingInterval;
            clientPolicies = config.clientPolicies;
            clientOverrides.putAll(config.clientOverrides);
            adaptive = config.adaptive;
            probeInterval = config.probeInterval;
            nanoClock = config.nanoClock;
            scheduler = config.scheduler;
            permitStore = config.permitStore;
        }

        /** Sets every family's limit from the plan table (default {@link LimiterConfig#DEFAULT_PLAN}). */
        public Builder plan(PlanTier plan) {
            Objects.requireNonNull(plan, "plan");
            for (ModelFamily family : ModelFamily.values()) {
                PoolConfig current = pools.getOrDefault(family, PoolConfig.of(0));
                pools.put(family, current.withLimit(plan.concurrencyLimit(family)));
            }
            return this;
        }

        /**
         * Sets one family's limit explicitly.
         *
         * @throws IllegalArgumentException if the limit is outside 0..100,000
         */
        public Builder limit(ModelFamily family, int limit) {
            PoolConfig.checkLimit(limit);
            pools.put(family, pools.get(family).withLimit(limit));
            return this;
        }

        /**
         * Sets the queue capacity of every pool (default {@value PoolConfig#DEFAULT_MAX_QUEUE}).
         *
         * @throws IllegalArgumentException if the capacity is outside 0..10,000,000
         */
        public Builder maxQueue(int maxQueue) {
            PoolConfig.checkMaxQueue(maxQueue);
            pools.replaceAll((family, pool) -> pool.withMaxQueue(maxQueue));
            return this;
        }

        /**
         * Sets one pool's queue capacity.
         *
         * @throws IllegalArgumentException if the capacity is outside 0..10,000,000
         */
        public Builder maxQueue(ModelFamily family, int maxQueue) {
            PoolConfig.checkMaxQueue(maxQueue);
            pools.put(family, pools.get(family).withMaxQueue(maxQueue));
            return this;
        }

        /**
         * Sets the maximum wait of every pool (default 30 s).
         *
         * @throws IllegalArgumentException if the wait is negative
         */
        public Builder maxWait(Duration maxWait) {
            checkNotNegative("maxWait", maxWait);
            pools.replaceAll((family, pool) -> pool.withMaxWait(maxWait));
            return this;
        }

        /**
         * Sets one pool's maximum wait.
         *
         * @throws IllegalArgumentException if the wait is negative
         */
        public Builder maxWait(ModelFamily family, Duration maxWait) {
            checkNotNegative("maxWait", maxWait);
            pools.put(family, pools.get(family).withMaxWait(maxWait));
            return this;
        }

        /** Replaces one pool's settings. */
        public Builder pool(ModelFamily family, PoolConfig pool) {
            pools.put(Objects.requireNonNull(family, "family"), Objects.requireNonNull(pool, "pool"));
            return this;
        }

        /** Sets the rate policies over one whole pool (default none). */
        public Builder poolPolicies(ModelFamily family, RatePolicy... policies) {
            pools.put(family, pools.get(family).withPolicies(Arrays.asList(policies)));
            return this;
        }

        /**
         * Sets the number of priority levels (default {@value LimiterConfig#DEFAULT_PRIORITY_LEVELS}).
         *
         * @throws IllegalArgumentException if the number is outside 1..16
         */
        public Builder priorityLevels(int levels) {
            checkPriorityLevels(levels);
            this.priorityLevels = levels;
            return this;
        }

        /**
         * Sets how long a request waits before moving up one level (default 5 s); zero disables aging.
         *
         * @throws IllegalArgumentException if the interval is negative
         */
        public Builder agingInterval(Duration interval) {
            checkNotNegative("agingInterval", interval);
            this.agingInterval = interval;
            return this;
        }

        /** Sets the rate policies every client gets separately (default none). */
        public Builder clientPolicies(RatePolicy... policies) {
            this.clientPolicies = List.of(policies);
            return this;
        }

        /** Sets the rate policies of one client, replacing the default client policies for it. */
        public Builder clientPolicies(String clientName, RatePolicy... policies) {
            clientOverrides.put(Objects.requireNonNull(clientName, "clientName"), List.of(policies));
            return this;
        }

        /** Sets whether limits adapt to the upstream's headers and 429 answers (default true). */
        public Builder adaptive(boolean enabled) {
            this.adaptive = enabled;
            return this;
        }

        /**
         * Sets how long without a 429 and without headers before a shrunk limit grows by one (default 30 s).
         *
         * @throws IllegalArgumentException if the interval is not positive
         */
        public Builder probeInterval(Duration interval) {
            checkPositive("probeInterval", interval);
            this.probeInterval = interval;
            return this;
        }

        /** Sets the monotonic nanosecond clock (default {@code System::nanoTime}). */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock, "nanoClock");
            return this;
        }

        /** Sets the timer scheduler (default {@link LimiterScheduler#shared()}). */
        public Builder scheduler(LimiterScheduler value) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /** Sets where permits and rate state live (default a new {@link InMemoryPermitStore} per limiter). */
        public Builder permitStore(Supplier<PermitStore> factory) {
            this.permitStore = Objects.requireNonNull(factory, "permitStore");
            return this;
        }

        /** Returns the settings; legal but suspicious combinations are logged at WARN. */
        public LimiterConfig build() {
            LimiterConfig config = new LimiterConfig(pools, priorityLevels, agingInterval, clientPolicies,
                    clientOverrides, adaptive, probeInterval, nanoClock, scheduler, permitStore);
            warnAboutOddSettings(config);
            return config;
        }

        private static void warnAboutOddSettings(LimiterConfig config) {
            config.pools().forEach((family, pool) -> {
                boolean queues = pool.limit() > 0 && pool.maxQueue() > 0;
                if (queues && pool.maxWait().isZero()) {
                    logger.warn("- Limiter queue can never be used family={} maxQueue={} maxWait=0",
                            family.label(), pool.maxQueue());
                }
                boolean aging = config.priorityLevels() > 1 && !config.agingInterval().isZero();
                if (queues && aging && config.agingInterval().compareTo(pool.maxWait()) >= 0) {
                    logger.warn("- Limiter aging never promotes family={} agingIntervalMs={} maxWaitMs={}",
                            family.label(), config.agingInterval().toMillis(), pool.maxWait().toMillis());
                }
            });
        }
    }
}
