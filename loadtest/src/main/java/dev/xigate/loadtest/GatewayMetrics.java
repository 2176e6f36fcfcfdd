package dev.xigate.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scrapes the gateway's Prometheus endpoint once per tick and keeps what the report needs: queue depth, queue
 * wait, upstream concurrency per family, retries and circuit breaker transitions. A missing or failing endpoint is
 * tolerated: the figures stay {@code null} ("n/a" in the reports). Used from the run's ticker thread only.
 */
public final class GatewayMetrics {
    /** Gauge: requests waiting in the gateway's queues. */
    static final String QUEUE_DEPTH = "elevenlabs_queue_depth";
    /** Gauge: requests in flight to the upstream, per model family. */
    static final String CONCURRENT = "elevenlabs_concurrent_requests";
    /** Counter: upstream retries. */
    static final String RETRIES = "elevenlabs_retries_total";
    /** Gauge: circuit breaker state (0 closed, 1 open, 2 half-open). */
    static final String BREAKER_STATE = "elevenlabs_circuit_breaker_state";

    private final HttpClient http;
    private final URI metricsUri;
    private Double firstRetries;
    private Double lastRetries;
    private Double firstTransitions;
    private Double lastTransitions;
    private Map<String, Double> lastBreakerStates;
    private long breakerStateChanges;
    private boolean breakerSeen;
    private Double prevWaitSum;
    private Double prevWaitCount;
    private double maxQueueDepth = Double.NaN;
    private final Map<String, Double> maxConcurrency = new TreeMap<>();
    private int scrapes;
    private int failures;

    /**
     * Creates a scraper.
     *
     * @param http the client
     * @param metricsUri the Prometheus text endpoint, for example {@code http://127.0.0.1:9090/metrics}
     */
    public GatewayMetrics(HttpClient http, URI metricsUri) {
        this.http = http;
        this.metricsUri = metricsUri;
    }

    /**
     * The gateway figures of one tick.
     *
     * @param queueDepth requests queued now, or {@code null}
     * @param queueWaitMs mean queue wait of the requests that left the queue during the tick, or {@code null}
     * @param concurrency requests in flight upstream now, summed over families, or {@code null}
     */
    public record Tick(Double queueDepth, Double queueWaitMs, Double concurrency) {
        static final Tick EMPTY = new Tick(null, null, null);
    }

    /** Scrapes once and returns this tick's figures; {@link Tick#EMPTY} values when the scrape failed. */
    public Tick scrape() {
        String text;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metricsUri)
                    .timeout(Duration.ofMillis(800)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                failures++;
                return Tick.EMPTY;
            }
            text = response.body();
        } catch (IOException e) {
            failures++;
            return Tick.EMPTY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Tick.EMPTY;
        }
        scrapes++;
        return absorb(PrometheusText.parse(text));
    }

    /** Folds one scrape's samples into the run figures and returns the tick's figures. */
    Tick absorb(List<PrometheusText.Sample> samples) {
        Double depth = PrometheusText.sum(samples, QUEUE_DEPTH::equals);
        if (depth != null) {
            maxQueueDepth = Double.isNaN(maxQueueDepth) ? depth : Math.max(maxQueueDepth, depth);
        }
        Double retries = PrometheusText.sum(samples, RETRIES::equals);
        if (retries != null) {
            firstRetries = firstRetries == null ? retries : firstRetries;
            lastRetries = retries;
        }
        Double transitions = PrometheusText.sum(samples,
                name -> name.contains("circuit_breaker") && name.contains("transition") && name.endsWith("_total"));
        if (transitions != null) {
            firstTransitions = firstTransitions == null ? transitions : firstTransitions;
            lastTransitions = transitions;
        }
        trackBreakerStates(samples);
        Double concurrency = trackConcurrency(samples);
        return new Tick(depth, queueWait(samples), concurrency);
    }

    private Double queueWait(List<PrometheusText.Sample> samples) {
        Double sum = PrometheusText.sum(samples, name -> name.contains("queue_wait") && name.endsWith("_sum"));
        Double count = PrometheusText.sum(samples, name -> name.contains("queue_wait") && name.endsWith("_count"));
        if (sum == null || count == null) {
            return null;
        }
        Double mean = null;
        if (prevWaitSum != null && count > prevWaitCount) {
            mean = (sum - prevWaitSum) / (count - prevWaitCount) * 1_000.0;
        }
        prevWaitSum = sum;
        prevWaitCount = count;
        return mean == null ? 0.0 : mean;
    }

    private void trackBreakerStates(List<PrometheusText.Sample> samples) {
        Map<String, Double> states = new HashMap<>();
        for (PrometheusText.Sample sample : samples) {
            if (sample.name().equals(BREAKER_STATE)) {
                states.put(sample.labels().toString(), sample.value());
            }
        }
        if (states.isEmpty()) {
            return;
        }
        breakerSeen = true;
        if (lastBreakerStates != null) {
            for (Map.Entry<String, Double> state : states.entrySet()) {
                Double before = lastBreakerStates.get(state.getKey());
                if (before != null && !before.equals(state.getValue())) {
                    breakerStateChanges++;
                }
            }
        }
        lastBreakerStates = states;
    }

    private Double trackConcurrency(List<PrometheusText.Sample> samples) {
        Map<String, Double> byFamily = new TreeMap<>();
        for (PrometheusText.Sample sample : samples) {
            if (sample.name().equals(CONCURRENT)) {
                String family = sample.labels().getOrDefault("family",
                        sample.labels().getOrDefault("model_family", sample.labels().getOrDefault("pool", "all")));
                byFamily.merge(family, sample.value(), Double::sum);
            }
        }
        if (byFamily.isEmpty()) {
            return null;
        }
        byFamily.forEach((family, value) -> maxConcurrency.merge(family, value, Math::max));
        return byFamily.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Returns how many scrapes succeeded. */
    public int scrapes() {
        return scrapes;
    }

    /** Returns how many scrapes failed. */
    public int failures() {
        return failures;
    }

    /** Returns the retries the gateway counted during the run, or {@code null} when it exposes none. */
    public Long retries() {
        return lastRetries == null ? null : Math.round(lastRetries - firstRetries);
    }

    /**
     * Returns the breaker transitions seen during the run: from a transition counter when the gateway has one,
     * else from state changes between scrapes (which misses a flip and back within one second); {@code null} when
     * the gateway exposes neither.
     */
    public Long breakerTransitions() {
        if (lastTransitions != null) {
            return Math.round(lastTransitions - firstTransitions);
        }
        return breakerSeen ? breakerStateChanges : null;
    }

    /** Returns the largest queue depth scraped, or {@code null}. */
    public Double maxQueueDepth() {
        return Double.isNaN(maxQueueDepth) ? null : maxQueueDepth;
    }

    /** Returns the largest upstream concurrency scraped per family (sampled once per second). */
    public Map<String, Double> maxConcurrency() {
        return Map.copyOf(maxConcurrency);
    }
}
