package dev.xigate.retry;

import dev.xigate.cache.CachedAudio;
import dev.xigate.plan.ModelFamily;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Returns what the retry executor needs to know about one client request.
 *
 * @param requestId the request id (logs, error bodies)
 * @param family the model family pool the call counts against
 * @param deadline the total time the request may take (the endpoint's, or the config's default)
 * @param attempt makes one upstream attempt
 * @param fallback looks up cached audio for this request (empty when none or not cacheable)
 */
public record UpstreamCall(String requestId, ModelFamily family, Duration deadline, Attempt attempt,
        Supplier<Optional<CachedAudio>> fallback) {
    /** Creates a call description. */
    public UpstreamCall {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(fallback, "fallback");
    }

    /** Returns a call without a cached fallback. */
    public static UpstreamCall of(String requestId, ModelFamily family, Duration deadline, Attempt attempt) {
        return new UpstreamCall(requestId, family, deadline, attempt, Optional::empty);
    }

    /** Makes one upstream attempt. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * Returns the upstream's answer (headers read, body not yet); must give up waiting for the headers after
         * {@code timeout} (the JDK client's request timeout does exactly that) by throwing an
         * {@link java.net.http.HttpTimeoutException}.
         *
         * @param attemptNumber 1 for the first attempt
         * @param timeout the longest wait for response headers
         * @throws IOException on a network failure or timeout
         * @throws InterruptedException if interrupted
         */
        UpstreamResponse call(int attemptNumber, Duration timeout) throws IOException, InterruptedException;
    }
}
