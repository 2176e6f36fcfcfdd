package dev.xigate.metrics;

import dev.xigate.plan.ModelFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * Creates and updates xigate's meters in a Micrometer registry (Prometheus in the gateway).
 *
 * <p>Gauges hold their suppliers strongly: Micrometer's default weak reference would let a lambda that nothing else
 * holds be collected, and the gauge would then read NaN.
 *
 * <p>Per-request meters are looked up once per label combination and cached, so one {@link #recordRequest} is a
 * few map lookups and counter/histogram updates. Label values pass a {@link LabelGuard} each, so no label can grow
 * past its cap. Thread-safe. {@link #close()} releases the JVM GC listener.
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics, AutoCloseable {
    /** Histogram buckets of the request duration: 50 ms to 60 s, with 2 s exact for the p95 alert. */
    static final double[] REQUEST_BUCKETS_SECONDS = {0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30, 60};
    /** Histogram buckets of the queue wait: 1 ms (no real wait) to 60 s. */
    static final double[] QUEUE_WAIT_BUCKETS_SECONDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30,
        60};
    /** Histogram buckets of the time to first byte: 25 ms to 30 s. */
    static final double[] FIRST_BYTE_BUCKETS_SECONDS = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30};

    private static final int MAX_ENDPOINTS = 32;
    private static final int MAX_PRIORITIES = 8;
    private static final int MAX_CLIENTS = 200;
    private static final int MAX_ERROR_TYPES = 32;
    private static final int MAX_REASONS = 32;

    private final MeterRegistry registry;
    private final LabelGuard endpoints = new LabelGuard(MAX_ENDPOINTS);
    private final LabelGuard priorities = new LabelGuard(MAX_PRIORITIES);
    private final LabelGuard clients = new LabelGuard(MAX_CLIENTS);
    private final LabelGuard errorTypes = new LabelGuard(MAX_ERROR_TYPES);
    private final LabelGuard reasons = new LabelGuard(MAX_REASONS);
    private final ConcurrentMap<RequestKey, RequestMeters> requestMeters = new ConcurrentHashMap<>();
    private final ConcurrentMap<LabelPair, Counter> errorCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<LabelPair, Counter> retryCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<LabelPair, Counter> fallbackCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<LabelPair, Timer> queueWaitTimers = new ConcurrentHashMap<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    // Written by the quota poller's thread, read at scrape time.
    private volatile double quotaUsedPercentage = Double.NaN;
    private volatile double upstreamUp = Double.NaN;

    /** Creates the meters in the registry, including the JVM and process meters. */
    public MicrometerGatewayMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder(MetricNames.QUOTA_USED_PERCENTAGE, this, m -> m.quotaUsedPercentage)
                .description("Share of the account's character quota used this period, in percent")
                .strongReference(true)
                .register(registry);
        Gauge.builder(MetricNames.UPSTREAM_UP, this, m -> m.upstreamUp)
                .description("1 when the last quota poll succeeded with the configured key, else 0")
                .strongReference(true)
                .register(registry);
        bindJvmAndProcess();
    }

    /** Returns the registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void recordRequest(RequestOutcome outcome) {
        RequestKey key = new RequestKey(outcome.familyLabel(), endpoints.bound(outcome.endpoint()),
                outcome.statusClass(), priorities.bound(outcome.priority()), clients.bound(outcome.client()));
        RequestMeters meters = requestMeters.computeIfAbsent(key, this::createRequestMeters);
        meters.requests.increment();
        meters.duration.record(outcome.durationNanos(), TimeUnit.NANOSECONDS);
        if (outcome.firstByteNanos() >= 0) {
            meters.firstByte.record(outcome.firstByteNanos(), TimeUnit.NANOSECONDS);
        }
        recordCache(outcome, meters);
        if (outcome.isError()) {
            String errorType = outcome.errorType() == null ? outcome.statusClass() : outcome.errorType();
            LabelPair errorKey = new LabelPair(outcome.familyLabel(), key.endpoint(), errorTypes.bound(errorType));
            errorCounters.computeIfAbsent(errorKey, this::createErrorCounter).increment();
            return;
        }
        meters.characters.increment(outcome.characters());
        meters.audio.increment(outcome.audioSeconds());
    }

    @Override
    public void recordQueueWait(ModelFamily family, String priority, long waitNanos) {
        LabelPair key = new LabelPair(family.label(), priorities.bound(priority), "");
        queueWaitTimers.computeIfAbsent(key, this::createQueueWaitTimer).record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordRetry(ModelFamily family, String reason) {
        LabelPair key = new LabelPair(family.label(), reasons.bound(reason), "");
        retryCounters.computeIfAbsent(key, k -> Counter.builder(MetricNames.RETRIES_TOTAL)
                .description("Upstream retry attempts, not counting first attempts")
                .tags(MetricNames.TAG_FAMILY, k.family(), MetricNames.TAG_REASON, k.first())
                .register(registry)).increment();
    }

    @Override
    public void recordFallback(ModelFamily family, String reason) {
        fallbackCounter(family.label(), reason).increment();
    }

    @Override
    public void registerPool(ModelFamily family, IntSupplier inFlight, IntSupplier limit) {
        Objects.requireNonNull(inFlight, "inFlight");
        Objects.requireNonNull(limit, "limit");
        Gauge.builder(MetricNames.CONCURRENT_REQUESTS, inFlight, IntSupplier::getAsInt)
                .description("Requests holding a permit of the pool (running upstream)")
                .tag(MetricNames.TAG_FAMILY, family.label())
                .strongReference(true)
                .register(registry);
        Gauge.builder(MetricNames.CONCURRENCY_LIMIT, limit, IntSupplier::getAsInt)
                .description("Effective concurrency limit of the pool")
                .tag(MetricNames.TAG_FAMILY, family.label())
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void registerQueue(ModelFamily family, String priority, IntSupplier depth) {
        Objects.requireNonNull(depth, "depth");
        Gauge.builder(MetricNames.QUEUE_DEPTH, depth, IntSupplier::getAsInt)
                .description("Requests waiting for a permit")
                .tags(MetricNames.TAG_FAMILY, family.label(), MetricNames.TAG_PRIORITY, priorities.bound(priority))
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void registerBreaker(String breaker, DoubleSupplier state) {
        Objects.requireNonNull(state, "state");
        Gauge.builder(MetricNames.CIRCUIT_BREAKER_STATE, state, DoubleSupplier::getAsDouble)
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
                .tag(MetricNames.TAG_BREAKER, reasons.bound(breaker))
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void recordQuota(QuotaStatus status) {
        switch (status) {
            case QuotaStatus.Known known -> {
                quotaUsedPercentage = known.usedPercentage();
                upstreamUp = 1;
            }
            case QuotaStatus.Rejected ignored -> upstreamUp = 0;
            case QuotaStatus.Unreachable ignored -> upstreamUp = 0;
            case QuotaStatus.Unknown ignored -> upstreamUp = Double.NaN;
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
    }

    private void recordCache(RequestOutcome outcome, RequestMeters meters) {
        switch (outcome.cache()) {
            case HIT -> meters.cacheHits.increment();
            case MISS -> meters.cacheMisses.increment();
            case FALLBACK -> fallbackCounter(outcome.familyLabel(), outcome.errorType()).increment();
            default -> {
                // BYPASS: not a cache lookup, nothing to count.
            }
        }
    }

    private Counter fallbackCounter(String family, String reason) {
        LabelPair key = new LabelPair(family, reasons.bound(reason), "");
        return fallbackCounters.computeIfAbsent(key, k -> Counter.builder(MetricNames.FALLBACKS_TOTAL)
                .description("Answers served from a fallback instead of the upstream")
                .tags(MetricNames.TAG_FAMILY, k.family(), MetricNames.TAG_REASON, k.first())
                .register(registry));
    }

    private void bindJvmAndProcess() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private RequestMeters createRequestMeters(RequestKey key) {
        String family = key.family();
        Tags durationTags = Tags.of(MetricNames.TAG_FAMILY, family, MetricNames.TAG_ENDPOINT, key.endpoint(),
                MetricNames.TAG_STATUS_CLASS, key.statusClass());
        Counter requests = Counter.builder(MetricNames.REQUESTS_TOTAL)
                .description("Requests answered by the gateway")
                .tags(durationTags)
                .tags(MetricNames.TAG_PRIORITY, key.priority(), MetricNames.TAG_CLIENT, key.client())
                .register(registry);
        Timer duration = histogram(MetricNames.REQUESTS_DURATION_SECONDS, REQUEST_BUCKETS_SECONDS)
                .description("Time from accepting a request to its last byte")
                .tags(durationTags)
                .register(registry);
        Timer firstByte = histogram(MetricNames.TIME_TO_FIRST_BYTE_SECONDS, FIRST_BYTE_BUCKETS_SECONDS)
                .description("Time from accepting a request to its first response byte")
                .tags(MetricNames.TAG_FAMILY, family, MetricNames.TAG_ENDPOINT, key.endpoint())
                .register(registry);
        Counter characters = Counter.builder(MetricNames.CHARACTERS_GENERATED)
                .description("Characters sent for generation by successful requests")
                .tags(MetricNames.TAG_FAMILY, family, MetricNames.TAG_CLIENT, key.client())
                .register(registry);
        Counter audio = Counter.builder(MetricNames.AUDIO_DURATION_SECONDS)
                .description("Seconds of audio produced or transcribed by successful requests")
                .tags(MetricNames.TAG_FAMILY, family)
                .register(registry);
        return new RequestMeters(requests, duration, firstByte, characters, audio, cacheCounter(family, "hit"),
                cacheCounter(family, "miss"));
    }

    private Counter cacheCounter(String family, String result) {
        return Counter.builder(MetricNames.CACHE_REQUESTS_TOTAL)
                .description("Audio cache lookups by result")
                .tags(MetricNames.TAG_FAMILY, family, MetricNames.TAG_RESULT, result)
                .register(registry);
    }

    private Counter createErrorCounter(LabelPair key) {
        return Counter.builder(MetricNames.ERRORS_TOTAL)
                .description("Failed requests by error type")
                .tags(MetricNames.TAG_FAMILY, key.family(), MetricNames.TAG_ENDPOINT, key.first(),
                        MetricNames.TAG_ERROR_TYPE, key.second())
                .register(registry);
    }

    private Timer createQueueWaitTimer(LabelPair key) {
        return histogram(MetricNames.QUEUE_WAIT_SECONDS, QUEUE_WAIT_BUCKETS_SECONDS)
                .description("Time requests waited for a permit")
                .tags(MetricNames.TAG_FAMILY, key.family(), MetricNames.TAG_PRIORITY, key.first())
                .register(registry);
    }

    private static Timer.Builder histogram(String name, double[] bucketsSeconds) {
        Duration[] buckets = Arrays.stream(bucketsSeconds)
                .mapToObj(seconds -> Duration.ofNanos(Math.round(seconds * 1e9)))
                .toArray(Duration[]::new);
        return Timer.builder(name).serviceLevelObjectives(buckets);
    }

    private record RequestKey(String family, String endpoint, String statusClass, String priority,
            String client) {
    }

    private record LabelPair(String family, String first, String second) {
    }

    private record RequestMeters(Counter requests, Timer duration, Timer firstByte, Counter characters,
            Counter audio, Counter cacheHits, Counter cacheMisses) {
    }
}
