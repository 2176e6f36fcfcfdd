package dev.xigate.loadtest;

import java.util.List;
import java.util.Map;

/**
 * The result of a run, as written to {@code summary.json} (snake_case; {@code null} figures are written as
 * {@code "n/a"}). Immutable.
 *
 * @param tool the tool's name
 * @param startedAt ISO-8601 start time
 * @param finishedAt ISO-8601 end time
 * @param elapsedSeconds wall time from the first send to the last answer
 * @param settings the run settings (never the API key)
 * @param requests request counts
 * @param latencyMs latency from the intended send time
 * @param serviceTimeMs latency from the actual send time
 * @param ttfbMs time to first byte of streaming requests, from the intended send time
 * @param throughputRps completed requests per second
 * @param errors error counts
 * @param byEndpoint counts and latency per endpoint
 * @param gateway what the gateway's metrics showed
 * @param upstream what the upstream counted and the concurrency check
 * @param timeline one point per second
 * @param verdict pass or fail, with each criterion
 */
public record Summary(
        String tool,
        String startedAt,
        String finishedAt,
        double elapsedSeconds,
        Map<String, Object> settings,
        Requests requests,
        LatencyStats latencyMs,
        LatencyStats serviceTimeMs,
        LatencyStats ttfbMs,
        Throughput throughputRps,
        Errors errors,
        Map<String, EndpointFigures> byEndpoint,
        Gateway gateway,
        Upstream upstream,
        List<TimePoint> timeline,
        Verdict verdict) {

    /**
     * Request counts.
     *
     * @param planned requests the pattern planned (open loop) or allowed (closed loop)
     * @param sent requests that left
     * @param succeeded 2xx answers
     * @param failed error answers and transport failures
     * @param unfinished requests still in flight when the run gave up waiting
     */
    public record Requests(long planned, long sent, long succeeded, long failed, long unfinished) {
    }

    /**
     * Throughput.
     *
     * @param mean completed requests per second over the run
     * @param peak the busiest second
     * @param successMean 2xx answers per second over the run (goodput)
     */
    public record Throughput(double mean, double peak, double successMean) {
    }

    /**
     * Errors.
     *
     * @param rate failed / sent
     * @param byStatus requests per HTTP status ({@code "0"}: no answer)
     * @param byType failed requests per {@code detail.status} or failure kind
     */
    public record Errors(double rate, Map<String, Long> byStatus, Map<String, Long> byType) {
    }

    /**
     * One endpoint's share of the run.
     *
     * @param succeeded 2xx answers
     * @param failed failures
     * @param latencyMs latency from the intended send time
     */
    public record EndpointFigures(long succeeded, long failed, LatencyStats latencyMs) {
    }

    /**
     * Gateway figures from its Prometheus metrics; {@code null} ("n/a") when not scraped.
     *
     * @param metricsScrapes successful scrapes
     * @param retries retries during the run
     * @param breakerTransitions circuit breaker transitions during the run
     * @param maxQueueDepth the deepest queue seen
     * @param meanQueueWaitMs the mean queue wait over the run's ticks with departures
     */
    public record Gateway(int metricsScrapes, Long retries, Long breakerTransitions, Double maxQueueDepth,
            Double meanQueueWaitMs) {
    }

    /**
     * What the upstream saw.
     *
     * @param source where the concurrency figures come from: {@code simulator}, {@code gateway_metrics} or
     *     {@code none}
     * @param maxConcurrency the most requests in flight at once per model family
     * @param limits the plan's limit per model family
     * @param requestsCounted requests the simulator received during the run, or {@code null}
     * @param errorsCounted error answers the simulator gave during the run, or {@code null}
     * @param countedByStatus the simulator's answers per status during the run
     * @param chaos the chaos settings applied during the run, or {@code null}
     */
    public record Upstream(String source, Map<String, Integer> maxConcurrency, Map<String, Integer> limits,
            Long requestsCounted, Long errorsCounted, Map<String, Long> countedByStatus, String chaos) {
    }

    /**
     * One second of the run.
     *
     * @param second seconds since the start
     * @param sent requests that left in this second
     * @param completed requests that ended
     * @param errors requests that failed
     * @param p50Ms median latency of the requests that ended, or {@code null}
     * @param p99Ms p99 latency, or {@code null}
     * @param maxMs the slowest, or {@code null}
     * @param inFlight client-side requests in flight at the tick
     * @param upstreamConcurrency requests in flight upstream at the tick, or {@code null}
     * @param queueDepth the gateway's queue depth at the tick, or {@code null}
     * @param queueWaitMs the gateway's mean queue wait during the second, or {@code null}
     */
    public record TimePoint(int second, long sent, long completed, long errors, Double p50Ms, Double p99Ms,
            Double maxMs, long inFlight, Double upstreamConcurrency, Double queueDepth, Double queueWaitMs) {
    }

    /**
     * The pass/fail verdict.
     *
     * @param passed whether every check passed
     * @param checks each criterion
     */
    public record Verdict(boolean passed, List<Check> checks) {
    }

    /**
     * One criterion.
     *
     * @param name the criterion
     * @param passed whether it passed
     * @param detail the measured value against the limit
     */
    public record Check(String name, boolean passed, String detail) {
    }
}
