package dev.xigate.gateway.upstream;

import java.time.Duration;
import java.util.Optional;

/**
 * Returns the timeout of the upstream attempt the calling thread is making: how long it may wait for response
 * headers, set by the retry stage as {@code min(attempt-timeout, time left before the request's deadline)}.
 *
 * <p>It travels on the calling thread because every stage between the retry stage and the HTTP call runs on that
 * thread. An {@link UpstreamCall} that {@linkplain UpstreamCall#honoursAttemptTimeout() honours it} bounds its own
 * wait; for one that does not, the attempt-timeout stage runs it on a thread of its own and gives up on it.
 */
public final class AttemptTimeout {
    private static final ThreadLocal<Duration> CURRENT = new ThreadLocal<>();

    private AttemptTimeout() {
    }

    /** Sets the timeout of the attempt the calling thread is about to make; {@code null} clears it. */
    public static void set(Duration timeout) {
        if (timeout == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(timeout);
        }
    }

    /** Returns the calling thread's attempt timeout, if the retry stage set one. */
    public static Optional<Duration> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Returns the shorter of {@code limit} and the calling thread's attempt timeout. */
    public static Duration within(Duration limit) {
        Duration attempt = CURRENT.get();
        return attempt != null && attempt.compareTo(limit) < 0 ? attempt : limit;
    }
}
