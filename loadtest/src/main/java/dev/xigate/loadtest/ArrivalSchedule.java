package dev.xigate.loadtest;

/**
 * The planned send times of an open-loop run: request {@code n} is due {@link #offsetNanos(long)} after the start.
 *
 * <p>A linear ramp from {@code startRps} to {@code endRps} over {@code durationSeconds}; a constant rate is the ramp
 * with equal ends. The offset is the exact inverse of the cumulative arrival count
 * {@code N(t) = s*t + (e - s)*t^2 / (2T)}, so no rounding drift builds up over long runs. Immutable.
 *
 * @param startRps arrivals per second at the start
 * @param endRps arrivals per second at the end
 * @param durationSeconds the length of the ramp
 */
public record ArrivalSchedule(double startRps, double endRps, double durationSeconds) {

    /** Creates a schedule; both rates must be positive. */
    public ArrivalSchedule {
        if (!(startRps > 0) || !(endRps > 0)) {
            throw new IllegalArgumentException("rps: " + startRps + ".." + endRps + " (expected: > 0)");
        }
        if (!(durationSeconds > 0)) {
            throw new IllegalArgumentException("duration: " + durationSeconds + " (expected: > 0)");
        }
    }

    /** Returns a schedule with a constant rate. */
    public static ArrivalSchedule constant(double rps, double durationSeconds) {
        return new ArrivalSchedule(rps, rps, durationSeconds);
    }

    /** Returns when request {@code n} (from 0) is due, in nanoseconds after the start. */
    public long offsetNanos(long n) {
        double slopeHalf = (endRps - startRps) / (2 * durationSeconds);
        double seconds;
        if (Math.abs(slopeHalf) < 1e-12) {
            seconds = n / startRps;
        } else {
            double discriminant = startRps * startRps + 4 * slopeHalf * n;
            if (discriminant < 0) {
                return Long.MAX_VALUE;
            }
            seconds = (-startRps + Math.sqrt(discriminant)) / (2 * slopeHalf);
        }
        return (long) (seconds * 1e9);
    }

    /** Returns how many requests the schedule plans within its duration. */
    public long plannedCount() {
        double count = startRps * durationSeconds + (endRps - startRps) * durationSeconds / 2;
        return (long) Math.ceil(count - 1e-9);
    }

    /** Returns the planned rate at {@code seconds} after the start. */
    public double rateAt(double seconds) {
        return startRps + (endRps - startRps) * Math.min(seconds, durationSeconds) / durationSeconds;
    }
}
