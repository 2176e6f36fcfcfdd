package dev.xigate.retry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Returns the {@link Outcome} of one upstream attempt from its HTTP status, error body and exception.
 *
 * <p>Rules, in order: an exception wins over a status (timeouts give {@link Outcome#TIMEOUT}, every other I/O
 * failure {@link Outcome#NETWORK_ERROR}); a 429 is a concurrency rejection when its body names
 * {@code too_many_concurrent_requests} or {@code concurrent_limit_exceeded} in {@code detail.status} or
 * {@code detail.code}, otherwise a busy/rate rejection; other 4xx are client errors; 5xx are server errors;
 * everything below 400 succeeds. Stateless and thread-safe.
 */
public final class OutcomeClassifier {
    /** The {@code detail.status}/{@code detail.code} words the API uses for concurrency 429s. */
    public static final Set<String> CONCURRENCY_WORDS = Set.of("too_many_concurrent_requests",
            "concurrent_limit_exceeded");

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutcomeClassifier() {
    }

    /**
     * Returns the outcome of an attempt.
     *
     * @param status the HTTP status, or {@code -1} when no response arrived
     * @param body the error body as text (may be {@code null} or empty; only read for 429)
     * @param failure the exception the attempt ended with, or {@code null}
     * @throws IllegalArgumentException if there is neither a status nor a failure
     */
    public static Outcome classify(int status, String body, Throwable failure) {
        if (failure != null) {
            return isTimeout(failure) ? Outcome.TIMEOUT : Outcome.NETWORK_ERROR;
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599 when failure is null)");
        }
        if (status == 429) {
            return isConcurrencyRejection(body) ? Outcome.RATE_LIMITED_CONCURRENCY : Outcome.RATE_LIMITED_BUSY;
        }
        if (status >= 500) {
            return Outcome.SERVER_ERROR;
        }
        return status >= 400 ? Outcome.CLIENT_ERROR : Outcome.SUCCESS;
    }

    /** Returns the outcome of an attempt that ended with an exception. */
    public static Outcome classify(Throwable failure) {
        return classify(-1, null, failure);
    }

    /** Returns whether a 429 body names a concurrency rejection (either the legacy status or the new code). */
    public static boolean isConcurrencyRejection(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            JsonNode detail = JSON.readTree(body).path("detail");
            return CONCURRENCY_WORDS.contains(detail.path("status").asText(""))
                    || CONCURRENCY_WORDS.contains(detail.path("code").asText(""));
        } catch (IOException ignored) {
            // Not JSON (a proxy's HTML page, a truncated body): fall back to a plain word search.
            String lower = body.toLowerCase(Locale.ROOT);
            return CONCURRENCY_WORDS.stream().anyMatch(lower::contains);
        }
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
                    || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException
                    || cause instanceof SSLException) {
                // A connect timeout means the host never answered: the same class of failure as a refused connect.
                return false;
            }
            if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException
                    || cause instanceof TimeoutException
                    || (cause instanceof InterruptedIOException && !(cause instanceof SocketException))) {
                return true;
            }
        }
        return false;
    }
}
