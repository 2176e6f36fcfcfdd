package dev.xigate.dashboard;

import dev.xigate.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Creates {@link DashboardSnapshot}s from the meters {@link dev.xigate.metrics.MicrometerGatewayMetrics} registers.
 *
 * <p>Levels (in flight, limit, queue, breaker, quota) are read as they are now. Rates and percentiles are computed
 * over the window since the previous sample from the difference of the cumulative counters and histogram buckets
 * (the Prometheus registry keeps them cumulative); a percentile is interpolated linearly inside its bucket, so it is
 * as coarse as the buckets. Samples taken less than {@code minInterval} apart return the previous snapshot, so many
 * open dashboards do not shrink each other's window. Thread-safe (sampling is serialised).
 */
public final class DashboardSampler {
    private static final List<String> NAMED_PRIORITIES = List.of("high", "normal", "low");
    /** Orders priority labels highest first: high, normal, low, then p0, p1, ... */
    private static final Comparator<String> PRIORITY_ORDER = Comparator
            .comparingInt(DashboardSampler::priorityRank)
            .thenComparing(Comparator.naturalOrder());

    private final MeterRegistry registry;
    private final InstantSource clock;
    private final Duration minInterval;
    // Guarded by this: the previous sample's cumulative figures and its snapshot.
    private Instant previousAt;
    private Map<String, Cumulative> previous = new HashMap<>();
    private DashboardSnapshot last;

    /** Creates a sampler whose first window starts now. */
    public DashboardSampler(MeterRegistry registry, InstantSource clock, Duration minInterval) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.minInterval = Objects.requireNonNull(minInterval, "minInterval");
        this.previousAt = clock.instant();
    }

    /** Returns a snapshot of now, or the last one when it is younger than the minimum interval. */
    public synchronized DashboardSnapshot sample() {
        Instant now = clock.instant();
        if (last != null && Duration.between(last.at(), now).compareTo(minInterval) < 0) {
            return last;
        }
        double windowSeconds = Duration.between(previousAt, now).toNanos() / 1e9;
        Map<String, Cumulative> current = new HashMap<>();
        List<DashboardSnapshot.Pool> pools = new ArrayList<>();
        for (String family : families()) {
            Cumulative figures = cumulative(family);
            current.put(family, figures);
            pools.add(pool(family, figures, previous.getOrDefault(family, Cumulative.ZERO), windowSeconds));
        }
        last = new DashboardSnapshot(now, windowSeconds, gaugeValue(MetricNames.QUOTA_USED_PERCENTAGE),
                gaugeValue(MetricNames.UPSTREAM_UP), pools, breakers(), totals());
        previous = current;
        previousAt = now;
        return last;
    }

    private DashboardSnapshot.Pool pool(String family, Cumulative now, Cumulative before, double windowSeconds) {
        Cumulative window = now.minus(before);
        double requests = window.requests();
        return new DashboardSnapshot.Pool(family,
                (int) sumGauges(registry.find(MetricNames.CONCURRENT_REQUESTS).tag(MetricNames.TAG_FAMILY, family)),
                (int) sumGauges(registry.find(MetricNames.CONCURRENCY_LIMIT).tag(MetricNames.TAG_FAMILY, family)),
                queueByPriority(family),
                windowSeconds > 0 ? requests / windowSeconds : Double.NaN,
                requests > 0 ? window.errors() / requests : Double.NaN,
                requests > 0 ? window.retries() / requests : Double.NaN,
                percentileMillis(window.buckets(), 0.50),
                percentileMillis(window.buckets(), 0.95),
                percentileMillis(window.buckets(), 0.99),
                window.cacheLookups() > 0 ? window.cacheHits() / window.cacheLookups() : Double.NaN);
    }

    private TreeSet<String> families() {
        TreeSet<String> families = new TreeSet<>();
        for (String name : List.of(MetricNames.CONCURRENT_REQUESTS, MetricNames.REQUESTS_TOTAL,
                MetricNames.QUEUE_DEPTH)) {
            registry.find(name).meters().forEach(meter -> {
                String family = meter.getId().getTag(MetricNames.TAG_FAMILY);
                if (family != null) {
                    families.add(family);
                }
            });
        }
        return families;
    }

    private Cumulative cumulative(String family) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        double count = 0;
        for (Timer timer : registry.find(MetricNames.REQUESTS_DURATION_SECONDS).tag(MetricNames.TAG_FAMILY, family)
                .timers()) {
            var snapshot = timer.takeSnapshot();
            count += snapshot.count();
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                buckets.merge(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count(), Double::sum);
            }
        }
        return new Cumulative(
                sumCounters(registry.find(MetricNames.REQUESTS_TOTAL).tag(MetricNames.TAG_FAMILY, family)),
                sumCounters(registry.find(MetricNames.ERRORS_TOTAL).tag(MetricNames.TAG_FAMILY, family)),
                sumCounters(registry.find(MetricNames.RETRIES_TOTAL).tag(MetricNames.TAG_FAMILY, family)),
                sumCounters(registry.find(MetricNames.CACHE_REQUESTS_TOTAL).tag(MetricNames.TAG_FAMILY, family)
                        .tag(MetricNames.TAG_RESULT, "hit")),
                sumCounters(registry.find(MetricNames.CACHE_REQUESTS_TOTAL).tag(MetricNames.TAG_FAMILY, family)),
                count, buckets);
    }

    private Map<String, Integer> queueByPriority(String family) {
        Map<String, Integer> queue = new TreeMap<>(PRIORITY_ORDER);
        for (Gauge gauge : registry.find(MetricNames.QUEUE_DEPTH).tag(MetricNames.TAG_FAMILY, family).gauges()) {
            String priority = gauge.getId().getTag(MetricNames.TAG_PRIORITY);
            queue.merge(priority == null ? MetricNames.OTHER : priority, (int) finiteOrZero(gauge.value()),
                    Integer::sum);
        }
        return queue;
    }

    private List<DashboardSnapshot.Breaker> breakers() {
        List<DashboardSnapshot.Breaker> breakers = new ArrayList<>();
        for (Gauge gauge : registry.find(MetricNames.CIRCUIT_BREAKER_STATE).gauges()) {
            double value = gauge.value();
            String state = value == MetricNames.BREAKER_OPEN ? "open"
                    : value == MetricNames.BREAKER_HALF_OPEN ? "half_open" : "closed";
            breakers.add(new DashboardSnapshot.Breaker(gauge.getId().getTag(MetricNames.TAG_BREAKER), state));
        }
        breakers.sort((a, b) -> a.name().compareTo(b.name()));
        return breakers;
    }

    private DashboardSnapshot.Totals totals() {
        return new DashboardSnapshot.Totals(
                (long) sumCounters(registry.find(MetricNames.REQUESTS_TOTAL)),
                (long) sumCounters(registry.find(MetricNames.ERRORS_TOTAL)),
                (long) sumCounters(registry.find(MetricNames.RETRIES_TOTAL)),
                (long) sumCounters(registry.find(MetricNames.CACHE_REQUESTS_TOTAL).tag(MetricNames.TAG_RESULT, "hit")),
                (long) sumCounters(registry.find(MetricNames.CACHE_REQUESTS_TOTAL)
                        .tag(MetricNames.TAG_RESULT, "miss")),
                (long) sumCounters(registry.find(MetricNames.FALLBACKS_TOTAL)));
    }

    private double gaugeValue(String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static int priorityRank(String label) {
        int rank = NAMED_PRIORITIES.indexOf(label);
        return rank < 0 ? NAMED_PRIORITIES.size() : rank;
    }

    private static double sumCounters(Search search) {
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double sumGauges(Search search) {
        return search.gauges().stream().mapToDouble(gauge -> finiteOrZero(gauge.value())).sum();
    }

    private static double finiteOrZero(double value) {
        return Double.isFinite(value) ? value : 0;
    }

    /**
     * Returns the q-quantile in milliseconds of cumulative bucket counts (upper bound in ms to count of values at or
     * below it), interpolating linearly inside the bucket; NaN when there is no value.
     */
    static double percentileMillis(TreeMap<Double, Double> cumulativeBuckets, double q) {
        if (cumulativeBuckets.isEmpty()) {
            return Double.NaN;
        }
        double total = cumulativeBuckets.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulativeBuckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return lowerBound + fraction * (bucket.getKey() - lowerBound);
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    /** Cumulative figures of one pool at one sample. */
    private record Cumulative(double requests, double errors, double retries, double cacheHits,
            double cacheLookups, double count, TreeMap<Double, Double> buckets) {
        static final Cumulative ZERO = new Cumulative(0, 0, 0, 0, 0, 0, new TreeMap<>());

        /** Returns the difference; when a count went down (a registry that rotates), the current figures alone. */
        Cumulative minus(Cumulative before) {
            if (requests < before.requests || count < before.count) {
                return this;
            }
            TreeMap<Double, Double> delta = new TreeMap<>();
            buckets.forEach((bound, value) -> delta.put(bound, value - before.buckets.getOrDefault(bound, 0.0)));
            return new Cumulative(requests - before.requests, errors - before.errors, retries - before.retries,
                    cacheHits - before.cacheHits, cacheLookups - before.cacheLookups, count - before.count, delta);
        }
    }
}
