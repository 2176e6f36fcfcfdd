package dev.xigate.retry;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Returns whether one more retry is affordable across all requests, so that an upstream outage does not turn
 * into a retry storm.
 *
 * <p>Rule: over the sliding window (default one minute, kept as {@value #BUCKETS} buckets), retries may not exceed
 * {@code minRetries + ratio × requests}. The {@code minRetries} allowance lets a quiet gateway still retry its
 * occasional failure. Thread-safe; time comes from the injected nano clock.
 */
public final class RetryBudget {
    /** The number of buckets the window is split into. */
    public static final int BUCKETS = 12;

    private final double ratio;
    private final int minRetries;
    private final long bucketNanos;
    private final LongSupplier nanoClock;
    // Mutable state, guarded by this: ring buffers of counts and the bucket index each slot currently holds.
    private final long[] requests = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    private final long[] slotEpoch = new long[BUCKETS];

    /**
     * Creates a budget.
     *
     * @param ratio retries allowed per request, 0..1 (default 0.2)
     * @param minRetries retries always allowed per window, at least 0
     * @param window the sliding window's length
     * @param nanoClock a monotonic clock in nanoseconds
     * @throws IllegalArgumentException if a value is out of range
     */
    public RetryBudget(double ratio, int minRetries, Duration window, LongSupplier nanoClock) {
        if (!(ratio >= 0.0 && ratio <= 1.0)) {
            throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0.0..1.0)");
        }
        if (minRetries < 0) {
            throw new IllegalArgumentException("minRetries: " + minRetries + " (expected: >= 0)");
        }
        if (window.toMillis() < BUCKETS) {
            throw new IllegalArgumentException("window: " + window + " (expected: >= " + BUCKETS + "ms)");
        }
        this.ratio = ratio;
        this.minRetries = minRetries;
        this.bucketNanos = window.toNanos() / BUCKETS;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        Arrays.fill(slotEpoch, Long.MIN_VALUE);
    }

    /** Records one new client request (not a retry). */
    public synchronized void recordRequest() {
        requests[slot()]++;
    }

    /** Returns whether a retry is affordable now and, if so, counts it. */
    public synchronized boolean tryAcquireRetry() {
        int slot = slot();
        long windowRequests = sum(requests);
        long windowRetries = sum(retries);
        if (windowRetries >= minRetries + (long) Math.floor(ratio * windowRequests)) {
            return false;
        }
        retries[slot]++;
        return true;
    }

    /** Returns a snapshot of the window: requests, retries and the retries still allowed. */
    public synchronized Snapshot snapshot() {
        slot();
        long windowRequests = sum(requests);
        long windowRetries = sum(retries);
        long allowed = minRetries + (long) Math.floor(ratio * windowRequests);
        return new Snapshot(windowRequests, windowRetries, Math.max(0, allowed - windowRetries));
    }

    /**
     * A view of the budget's window.
     *
     * @param requests requests recorded in the window
     * @param retries retries granted in the window
     * @param remaining retries that would still be granted now
     */
    public record Snapshot(long requests, long retries, long remaining) {
    }

    private int slot() {
        long epoch = Math.floorDiv(nanoClock.getAsLong(), bucketNanos);
        // Clear every slot whose bucket fell out of the window, so sums only see the last BUCKETS buckets.
        for (int i = 0; i < BUCKETS; i++) {
            if (slotEpoch[i] != Long.MIN_VALUE && epoch - slotEpoch[i] >= BUCKETS) {
                requests[i] = 0;
                retries[i] = 0;
                slotEpoch[i] = Long.MIN_VALUE;
            }
        }
        int slot = (int) Math.floorMod(epoch, (long) BUCKETS);
        if (slotEpoch[slot] != epoch) {
            requests[slot] = 0;
            retries[slot] = 0;
            slotEpoch[slot] = epoch;
        }
        return slot;
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}
