package dev.xigate.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Returns what the dashboard shows at one moment: per pool the concurrency against the limit, the queue by priority,
 * latency percentiles, rates; breaker states; quota; cache. Immutable.
 *
 * <p>Rates and percentiles cover the window since the previous snapshot ({@code windowSeconds}); a value that has no
 * data in the window is {@code NaN} and is written as JSON {@code null}.
 *
 * @param at when the snapshot was taken
 * @param windowSeconds length of the window rates and percentiles cover
 * @param quotaUsedPercentage the account's quota used, 0..100, or NaN before the first poll
 * @param upstreamUp 1 when the last quota poll succeeded, 0 when it failed, NaN before the first poll
 * @param pools one entry per model family pool
 * @param breakers one entry per circuit breaker
 * @param totals counts since start
 */
public record DashboardSnapshot(Instant at, double windowSeconds, double quotaUsedPercentage, double upstreamUp,
        List<Pool> pools, List<Breaker> breakers, Totals totals) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Creates a snapshot; the lists are copied. */
    public DashboardSnapshot {
        Objects.requireNonNull(at, "at");
        pools = List.copyOf(pools);
        breakers = List.copyOf(breakers);
        Objects.requireNonNull(totals, "totals");
    }

    /** Returns the snapshot as the JSON the dashboard page reads. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", at.toString());
        putNumber(root, "windowSeconds", windowSeconds);
        putNumber(root, "quotaUsedPercentage", quotaUsedPercentage);
        putNumber(root, "upstreamUp", upstreamUp);
        var poolArray = root.putArray("pools");
        for (Pool pool : pools) {
            ObjectNode node = poolArray.addObject();
            node.put("family", pool.family());
            node.put("inFlight", pool.inFlight());
            node.put("limit", pool.limit());
            ObjectNode queue = node.putObject("queue");
            pool.queueByPriority().forEach(queue::put);
            node.put("queueTotal", pool.queueTotal());
            putNumber(node, "requestsPerSecond", pool.requestsPerSecond());
            putNumber(node, "errorRate", pool.errorRate());
            putNumber(node, "retryRate", pool.retryRate());
            putNumber(node, "p50Ms", pool.p50Millis());
            putNumber(node, "p95Ms", pool.p95Millis());
            putNumber(node, "p99Ms", pool.p99Millis());
            putNumber(node, "cacheHitRatio", pool.cacheHitRatio());
        }
        var breakerArray = root.putArray("breakers");
        breakers.forEach(breaker -> breakerArray.addObject().put("name", breaker.name()).put("state", breaker.state()));
        root.putObject("totals")
                .put("requests", totals.requests())
                .put("errors", totals.errors())
                .put("retries", totals.retries())
                .put("cacheHits", totals.cacheHits())
                .put("cacheMisses", totals.cacheMisses())
                .put("fallbacks", totals.fallbacks());
        return root.toString();
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, Math.round(value * 1000) / 1000.0);
        } else {
            node.putNull(field);
        }
    }

    /**
     * One concurrency pool (model family).
     *
     * @param family the family label
     * @param inFlight requests holding a permit now
     * @param limit the effective concurrency limit now
     * @param queueByPriority waiting requests per priority now
     * @param requestsPerSecond finished requests per second in the window
     * @param errorRate failed share of the window's requests, 0..1
     * @param retryRate retries per request in the window
     * @param p50Millis median request duration in the window
     * @param p95Millis 95th percentile in the window
     * @param p99Millis 99th percentile in the window
     * @param cacheHitRatio cache hits per cache lookup in the window, 0..1
     */
    public record Pool(String family, int inFlight, int limit, Map<String, Integer> queueByPriority,
            double requestsPerSecond, double errorRate, double retryRate, double p50Millis, double p95Millis,
            double p99Millis, double cacheHitRatio) {
        /** Creates a pool view; the map is copied, keeping its order. */
        public Pool {
            Objects.requireNonNull(family, "family");
            queueByPriority = Collections.unmodifiableMap(new LinkedHashMap<>(queueByPriority));
        }

        /** Returns the number of waiting requests over all priorities. */
        public int queueTotal() {
            return queueByPriority.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * One circuit breaker.
     *
     * @param name the breaker's name
     * @param state closed, open or half_open
     */
    public record Breaker(String name, String state) {
        /** Creates a breaker view. */
        public Breaker {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * Counts since the gateway started.
     *
     * @param requests finished requests
     * @param errors failed requests
     * @param retries upstream retries
     * @param cacheHits cache hits
     * @param cacheMisses cache misses
     * @param fallbacks fallback answers
     */
    public record Totals(long requests, long errors, long retries, long cacheHits, long cacheMisses,
            long fallbacks) {
    }
}
