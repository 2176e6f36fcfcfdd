package dev.xigate.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the account's subscription ({@code GET /v1/user/subscription}) and publishes the quota used and whether the
 * upstream accepts the configured key.
 *
 * <p>Each poll yields a {@link QuotaStatus}, kept as {@link #latest()} and handed to the listener (typically
 * {@link GatewayMetrics#recordQuota}). The key is sent in the {@code xi-api-key} header and never appears in a
 * status, a log line or an exception message. {@link #start(Duration)} polls at once and then at the interval on one
 * daemon thread; {@link #close()} stops it. Thread-safe.
 */
public final class QuotaPoller implements AutoCloseable {
    /** The path polled, relative to the upstream base URI. */
    public static final String SUBSCRIPTION_PATH = "/v1/user/subscription";

    private static final Logger logger = LoggerFactory.getLogger(QuotaPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON_LENGTH = 200;

    private final HttpClient client;
    private final URI subscriptionUri;
    private final Supplier<String> apiKey;
    private final Duration timeout;
    private final InstantSource clock;
    private final Consumer<QuotaStatus> listener;
    // Written by the polling thread (or a caller of pollOnce), read by health checks and the dashboard.
    private volatile QuotaStatus latest = QuotaStatus.unknown();
    private volatile ScheduledExecutorService scheduler;

    /**
     * Creates a poller.
     *
     * @param client the HTTP client to use
     * @param upstreamBase the upstream's base URI, for example {@code https://api.elevenlabs.io}
     * @param apiKey supplies the upstream key at each poll (so a rotated key is picked up)
     * @param timeout how long one poll may take
     * @param clock stamps each status
     * @param listener receives each status, on the polling thread
     */
    public QuotaPoller(HttpClient client, URI upstreamBase, Supplier<String> apiKey, Duration timeout,
            InstantSource clock, Consumer<QuotaStatus> listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.subscriptionUri = Objects.requireNonNull(upstreamBase, "upstreamBase").resolve(SUBSCRIPTION_PATH);
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
    }

    /** Returns the result of the last finished poll, {@link QuotaStatus.Unknown} before the first. */
    public QuotaStatus latest() {
        return latest;
    }

    /** Polls once, now, on the calling thread; returns the result and publishes it. */
    public QuotaStatus pollOnce() {
        QuotaStatus status = fetch();
        latest = status;
        listener.accept(status);
        return status;
    }

    /**
     * Starts polling: once now, then every interval, on a daemon thread.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized void start(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        if (scheduler != null) {
            throw new IllegalStateException("cannot start quota poller: already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("quota-poller")
                .factory());
        scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops polling; a poll in progress is interrupted. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void pollQuietly() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            // A listener bug must not stop the schedule: later polls still run.
            logger.warn("Quota poll listener failed error={}", e.toString());
        }
    }

    private QuotaStatus fetch() {
        HttpRequest request = HttpRequest.newBuilder(subscriptionUri)
                .timeout(timeout)
                .header("xi-api-key", apiKey.get())
                .header("accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return interpret(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            return new QuotaStatus.Unreachable("timeout after " + timeout.toMillis() + " ms", clock.instant());
        } catch (IOException e) {
            return new QuotaStatus.Unreachable("network: " + e.getClass().getSimpleName(), clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new QuotaStatus.Unreachable("interrupted", clock.instant());
        }
    }

    private QuotaStatus interpret(int status, String body) {
        if (status == 401 || status == 403) {
            return new QuotaStatus.Rejected(status, detailStatus(body), clock.instant());
        }
        if (status != 200) {
            return new QuotaStatus.Unreachable("http " + status + " " + detailStatus(body), clock.instant());
        }
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode used = root.path("character_count");
            JsonNode limit = root.path("character_limit");
            if (!used.canConvertToLong() || !limit.canConvertToLong()) {
                return new QuotaStatus.Unreachable("subscription body lacks character_count or character_limit",
                        clock.instant());
            }
            return new QuotaStatus.Known(Math.max(0, used.asLong()), Math.max(0, limit.asLong()), clock.instant());
        } catch (IOException ignored) {
            // Jackson's message may quote the body: the reason stays generic.
            return new QuotaStatus.Unreachable("subscription body is not JSON", clock.instant());
        }
    }

    private static String detailStatus(String body) {
        try {
            JsonNode detail = JSON.readTree(body).path("detail");
            String text = detail.path("status").asText(detail.path("code").asText(""));
            if (text.isEmpty()) {
                return "no detail";
            }
            return text.length() > MAX_REASON_LENGTH ? text.substring(0, MAX_REASON_LENGTH) : text;
        } catch (IOException | RuntimeException ignored) {
            // Not the ElevenLabs error shape: the HTTP status alone has to do.
            return "no detail";
        }
    }
}
