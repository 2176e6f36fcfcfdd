package dev.xigate.bench.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.loadtest.Outcome;
import dev.xigate.loadtest.PlannedRequest;
import dev.xigate.loadtest.RequestSender;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A text-to-speech client that retries the way the official ElevenLabs SDKs do (JS 2.73 and Python, see the API
 * notes §5): it retries 408, 429 and every 5xx answer at most {@code maxRetries} times; it waits what
 * {@code Retry-After} says (seconds or an HTTP date, capped at 60 s, no jitter), else what {@code X-RateLimit-Reset}
 * says (capped at 60 s, plus 0–20 % jitter), else {@code min(1 s * 2^retry, 60 s)} times a jitter in [0.9, 1.1);
 * it does not retry network errors or timeouts. Thread-safe.
 */
public final class SdkRetryClient implements RequestSender {
    /** The SDKs' default number of retries. */
    public static final int SDK_MAX_RETRIES = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_DELAY_MILLIS = 60_000;

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final int maxRetries;
    private final DoubleSupplier random;
    private final Sleeper sleeper;
    private final Supplier<Instant> now;
    private final LongSupplier clock;
    private final LongAdder throttled = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder attempts = new LongAdder();

    /** Waits between attempts (a test replaces it to record the delays). */
    @FunctionalInterface
    public interface Sleeper {
        /** Waits {@code millis} milliseconds. */
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * Creates a client.
     *
     * @param http the HTTP client
     * @param base the API base URL (the simulator, or the gateway)
     * @param timeout the per-attempt timeout
     * @param maxRetries retries after the first attempt
     * @param random a source of uniform numbers in [0, 1) for the jitter
     * @param sleeper how to wait
     * @param now the wall clock, for {@code Retry-After} dates and {@code X-RateLimit-Reset}
     * @param clock the run clock in nanoseconds, for the time to first byte
     */
    public SdkRetryClient(HttpClient http, URI base, Duration timeout, int maxRetries, DoubleSupplier random,
            Sleeper sleeper, Supplier<Instant> now, LongSupplier clock) {
        this.http = http;
        this.base = base;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.random = random;
        this.sleeper = sleeper;
        this.now = now;
        this.clock = clock;
    }

    /** Returns the 429 answers this client received, retried ones included. */
    public long throttledSeen() {
        return throttled.sum();
    }

    /** Returns the retries this client made. */
    public long retries() {
        return retries.sum();
    }

    /** Returns the attempts this client made. */
    public long attempts() {
        return attempts.sum();
    }

    @Override
    public Outcome send(PlannedRequest request) {
        ObjectNode body = JSON.createObjectNode().put("text", request.text()).put("model_id", request.modelId());
        HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(stripSlash(base.toString()) + "/v1/text-to-speech/"
                        + request.voiceId() + "?output_format=mp3_44100_128"))
                .timeout(timeout).header("xi-api-key", request.apiKey()).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        for (int retry = 0; ; retry++) {
            attempts.increment();
            HttpResponse<InputStream> response;
            long firstByteAt;
            try {
                response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    firstByteAt = drain(in);
                }
            } catch (HttpTimeoutException e) {
                return new Outcome.Failure(0, "timeout", 0);
            } catch (IOException e) {
                return new Outcome.Failure(0, "io_error", 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Failure(0, "interrupted", 0);
            }
            int status = response.statusCode();
            if (status == 429) {
                throttled.increment();
            }
            if (status >= 200 && status < 300) {
                return new Outcome.Success(status, firstByteAt, 0);
            }
            if (!retryable(status) || retry >= maxRetries) {
                return new Outcome.Failure(status, "http_" + status, firstByteAt);
            }
            retries.increment();
            try {
                sleeper.sleep(delayMillis(retry, response.headers()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Failure(status, "interrupted", firstByteAt);
            }
        }
    }

    private long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long firstByteAt = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            if (read > 0 && firstByteAt == 0) {
                firstByteAt = clock.getAsLong();
            }
        }
        return firstByteAt;
    }

    /** Returns whether the SDKs retry an answer with this status. */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** Returns how long the SDKs wait before retry number {@code retry} (from 0) after these headers. */
    long delayMillis(int retry, HttpHeaders headers) {
        OptionalLong retryAfter = retryAfterMillis(headers.firstValue("retry-after").orElse(null));
        if (retryAfter.isPresent()) {
            return retryAfter.getAsLong();
        }
        String reset = headers.firstValue("x-ratelimit-reset").orElse(null);
        if (reset != null) {
            try {
                long untilReset = Long.parseLong(reset.strip()) * 1_000 - now.get().toEpochMilli();
                if (untilReset > 0) {
                    return Math.round(Math.min(untilReset, MAX_DELAY_MILLIS) * (1 + 0.2 * random.getAsDouble()));
                }
            } catch (NumberFormatException e) {
                // Not a number: the SDKs fall through to the exponential backoff.
                return exponential(retry);
            }
        }
        return exponential(retry);
    }

    private long exponential(int retry) {
        double base = Math.min(1_000.0 * Math.pow(2, retry), MAX_DELAY_MILLIS);
        return Math.round(base * (0.9 + 0.2 * random.getAsDouble()));
    }

    private OptionalLong retryAfterMillis(String value) {
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds > 0 ? OptionalLong.of(Math.min(seconds * 1_000, MAX_DELAY_MILLIS)) : OptionalLong.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                long millis = at.toEpochMilli() - now.get().toEpochMilli();
                return millis > 0 ? OptionalLong.of(Math.min(millis, MAX_DELAY_MILLIS)) : OptionalLong.empty();
            } catch (DateTimeParseException notDate) {
                return OptionalLong.empty();
            }
        }
    }

    private static String stripSlash(String text) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
