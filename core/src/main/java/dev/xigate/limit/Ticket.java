package dev.xigate.limit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Returns the outcome of one {@link Limiter#enqueue} call: a place in a pool's queue until it is granted, rejected or
 * cancelled. Thread-safe.
 */
public interface Ticket {

    /**
     * Returns the future answer: completed with {@link Admission.Granted} or {@link Admission.Rejected}, or
     * cancelled when the ticket is cancelled. Dependent actions may run on the limiter's timer thread: keep them
     * short or use the {@code *Async} variants.
     */
    CompletableFuture<Admission> result();

    /**
     * Leaves the queue at once (the client went away); a cancelled ticket never gets a permit.
     *
     * @return {@code true} when the ticket is cancelled (by this call or an earlier one) and will never get a permit;
     *     {@code false} when it already had its answer (a {@link Admission.Granted} permit must then be released by
     *     its holder)
     */
    boolean cancel();

    /**
     * Returns the 1-based position in the pool's queue (how many requests are served before it, plus one) when no
     * new request of higher priority arrives; 0 when the ticket is no longer waiting.
     */
    int position();

    /**
     * Returns the expected wait from now: position times the average permit hold time, over the pool's limit;
     * {@link Duration#ZERO} when the ticket is no longer waiting or the implementation cannot estimate.
     */
    default Duration expectedWait() {
        return Duration.ZERO;
    }
}
