package dev.xigate.limit;

/**
 * Returns how long rate policies hold a request back, and which one.
 *
 * @param nanos the wait in nanoseconds: 0 when ready, {@link Long#MAX_VALUE} when the charges can never pass
 * @param blockingIndex the index of the charge that needs the longest wait, or -1 when ready
 */
public record RateWait(long nanos, int blockingIndex) {
    /** Ready now. */
    public static final RateWait READY = new RateWait(0, -1);

    /** Returns whether the charges can be consumed now. */
    public boolean isReady() {
        return nanos == 0;
    }
}
