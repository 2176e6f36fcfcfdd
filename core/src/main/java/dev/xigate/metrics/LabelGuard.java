package dev.xigate.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Returns label values unchanged until a label has seen its cap of distinct values, then {@link MetricNames#OTHER}.
 *
 * <p>A guard against unbounded series: endpoint kinds, priorities and client names come from configuration and
 * code, but a bug or an odd header must never create one series per request. Thread-safe; the cap may be passed by a
 * few values under a race, which is harmless.
 */
final class LabelGuard {
    private static final int MAX_VALUE_LENGTH = 64;

    private final int maxValues;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    LabelGuard(int maxValues) {
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues: " + maxValues + " (expected: >= 1)");
        }
        this.maxValues = maxValues;
    }

    /** Returns the value to use as label: the value itself, or {@code other} when absent, too long or over cap. */
    String bound(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            return MetricNames.OTHER;
        }
        if (seen.contains(value)) {
            return value;
        }
        if (seen.size() >= maxValues) {
            return MetricNames.OTHER;
        }
        seen.add(value);
        return value;
    }
}
