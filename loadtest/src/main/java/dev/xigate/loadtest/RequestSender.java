package dev.xigate.loadtest;

/**
 * Sends one planned request and reports its outcome. {@link RequestExecutor} is the plain client; benchmarks plug
 * in others (an SDK-like client with retries, for example). Implementations must be thread-safe and must not throw
 * for a failed request.
 */
@FunctionalInterface
public interface RequestSender {
    /** Sends the request (blocking, on a virtual thread) and returns how it ended. */
    Outcome send(PlannedRequest request);
}
