package dev.xigate.loadtest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records what happened to every request: latency histograms (HdrHistogram, microseconds), counts by status and
 * error type, and per-interval figures for the timeline. Thread-safe; recording never blocks.
 *
 * <p>Latency is measured from the request's intended send time: in open loop that is the planned arrival, so a
 * request that left late because the generator or the target stalled is charged for the wait.
 */
public final class LoadRecorder {
    private static final long MAX_MICROS = 3_600_000_000L;
    private static final int DIGITS = 3;

    private final Recorder intervalLatency = new Recorder(MAX_MICROS, DIGITS);
    private final Histogram latency = new Histogram(MAX_MICROS, DIGITS);
    private final ConcurrentHistogram serviceTime = new ConcurrentHistogram(MAX_MICROS, DIGITS);
    private final ConcurrentHistogram timeToFirstByte = new ConcurrentHistogram(MAX_MICROS, DIGITS);
    private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byType = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder intervalSent = new LongAdder();
    private final LongAdder intervalCompleted = new LongAdder();
    private final LongAdder intervalErrors = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final Map<Endpoint, PerEndpoint> byEndpoint = new ConcurrentHashMap<>();

    /** The latency and counts of one endpoint. */
    private record PerEndpoint(ConcurrentHistogram latency, LongAdder succeeded, LongAdder failed) {
        PerEndpoint() {
            this(new ConcurrentHistogram(MAX_MICROS, DIGITS), new LongAdder(), new LongAdder());
        }
    }

    /** Notes that a request left. */
    public void recordSent() {
        sent.increment();
        intervalSent.increment();
        inFlight.incrementAndGet();
    }

    /**
     * Notes how a request ended.
     *
     * @param request the request
     * @param outcome its outcome
     * @param intendedAtNanos when it should have left (run clock)
     * @param sentAtNanos when it actually left
     * @param doneAtNanos when its last byte arrived or it failed
     */
    public void recordOutcome(PlannedRequest request, Outcome outcome, long intendedAtNanos, long sentAtNanos,
            long doneAtNanos) {
        inFlight.decrementAndGet();
        intervalCompleted.increment();
        intervalLatency.recordValue(micros(doneAtNanos - intendedAtNanos));
        serviceTime.recordValue(micros(doneAtNanos - sentAtNanos));
        byStatus.computeIfAbsent(Integer.toString(outcome.status()), key -> new LongAdder()).increment();
        boolean streaming = request.endpoint() == Endpoint.STREAM || request.endpoint() == Endpoint.STREAM_INPUT;
        if (streaming && outcome.firstByteAtNanos() > 0) {
            timeToFirstByte.recordValue(micros(outcome.firstByteAtNanos() - intendedAtNanos));
        }
        PerEndpoint endpoint = byEndpoint.computeIfAbsent(request.endpoint(), key -> new PerEndpoint());
        endpoint.latency().recordValue(micros(doneAtNanos - intendedAtNanos));
        switch (outcome) {
            case Outcome.Success success -> {
                succeeded.increment();
                endpoint.succeeded().increment();
            }
            case Outcome.Failure failure -> {
                failed.increment();
                endpoint.failed().increment();
                intervalErrors.increment();
                byType.computeIfAbsent(failure.type(), key -> new LongAdder()).increment();
            }
        }
    }

    private static long micros(long nanos) {
        return Math.max(0, Math.min(MAX_MICROS, nanos / 1_000));
    }

    /**
     * Returns the figures of the interval since the previous call and folds its latencies into the totals. Call
     * from one thread (the run's ticker).
     */
    public synchronized Interval takeInterval() {
        Histogram interval = intervalLatency.getIntervalHistogram();
        latency.add(interval);
        return new Interval(intervalSent.sumThenReset(), intervalCompleted.sumThenReset(),
                intervalErrors.sumThenReset(), interval.getTotalCount() == 0 ? null : LatencyStats.of(interval),
                inFlight.get());
    }

    /** Returns the latency totals (from the intended send time); only complete after a final {@link #takeInterval}. */
    public synchronized LatencyStats latency() {
        return LatencyStats.of(latency);
    }

    /** Returns the service time totals (from the actual send time). */
    public LatencyStats serviceTime() {
        return LatencyStats.of(serviceTime);
    }

    /** Returns the time to first byte of streaming requests, from the intended send time. */
    public LatencyStats timeToFirstByte() {
        return LatencyStats.of(timeToFirstByte);
    }

    /** Returns how many requests left. */
    public long sent() {
        return sent.sum();
    }

    /** Returns how many requests ended with a 2xx answer (or a finished WebSocket session). */
    public long succeeded() {
        return succeeded.sum();
    }

    /** Returns how many requests ended in an error answer or a transport failure. */
    public long failed() {
        return failed.sum();
    }

    /** Returns how many requests are in flight now. */
    public long inFlight() {
        return inFlight.get();
    }

    /** Returns the counts and latency of each endpoint that was called, by endpoint label. */
    public Map<String, Summary.EndpointFigures> byEndpoint() {
        Map<String, Summary.EndpointFigures> figures = new TreeMap<>();
        byEndpoint.forEach((endpoint, stats) -> figures.put(endpoint.label(), new Summary.EndpointFigures(
                stats.succeeded().sum(), stats.failed().sum(), LatencyStats.of(stats.latency()))));
        return figures;
    }

    /** Returns the number of requests per HTTP status ({@code "0"} for no answer), sorted. */
    public Map<String, Long> byStatus() {
        return sorted(byStatus);
    }

    /** Returns the number of failed requests per error type, sorted. */
    public Map<String, Long> byType() {
        return sorted(byType);
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }

    /**
     * The figures of one timeline interval.
     *
     * @param sent requests that left
     * @param completed requests that ended
     * @param errors requests that ended in failure
     * @param latency latency of the requests that ended, or {@code null} when none did
     * @param inFlight requests in flight at the end of the interval
     */
    public record Interval(long sent, long completed, long errors, LatencyStats latency, long inFlight) {
    }
}
