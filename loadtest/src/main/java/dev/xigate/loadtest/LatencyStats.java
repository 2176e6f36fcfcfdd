package dev.xigate.loadtest;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram, in milliseconds.
 *
 * @param count how many values were recorded
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param max the largest value
 * @param mean the mean
 */
public record LatencyStats(long count, double p50, double p90, double p95, double p99, double max, double mean) {

    /** Returns the percentiles of a histogram recorded in microseconds; all zero when it is empty. */
    public static LatencyStats of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencyStats(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencyStats(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(95)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()), round(micros.getMean() / 1_000.0));
    }

    private static double ms(long micros) {
        return round(micros / 1_000.0);
    }

    private static double round(double millis) {
        return Math.round(millis * 100.0) / 100.0;
    }
}
