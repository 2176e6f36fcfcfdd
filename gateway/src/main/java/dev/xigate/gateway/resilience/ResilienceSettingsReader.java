package dev.xigate.gateway.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xigate.cache.CacheConfig;
import dev.xigate.circuit.CircuitConfig;
import dev.xigate.gateway.config.DurationText;
import dev.xigate.retry.RetryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Returns {@link ResilienceSettings} from the {@code resilience:} section of a config file, read as a JSON tree
 * (YAML parses to the same tree). Keys are kebab-case; unknown keys and bad values are errors naming the key.
 * Durations take {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601; sizes take a number of bytes or a
 * {@code KiB}/{@code MiB}/{@code GiB} suffix.
 *
 * <pre>{@code
 * resilience:
 *   retry: {max-attempts: 4, overall-deadline: 30s, attempt-timeout: 15s, budget-ratio: 0.2}
 *   circuit: {failure-threshold: 5, open-duration: 60s, half-open-probes: 3, slow-start: 10s}
 *   cache: {directory: var/audio-cache, disk-max-bytes: 1GiB, max-age: 168h}
 *   endpoint-deadlines: {text_to_speech_stream: 60s}
 * }</pre>
 */
public final class ResilienceSettingsReader {
    private static final Set<String> TOP = Set.of("retry", "circuit", "cache", "endpoint-deadlines",
            "stream-idle-timeout", "coalescing");

    private ResilienceSettingsReader() {
    }

    /**
     * Returns the settings a section describes; an absent or null section gives the defaults.
     *
     * @throws IllegalArgumentException naming the first bad key and value
     */
    public static ResilienceSettings read(JsonNode section) {
        ResilienceSettings defaults = ResilienceSettings.ofDefaults();
        if (section == null || section.isNull() || section.isMissingNode()) {
            return defaults;
        }
        requireObject("resilience", section);
        section.fieldNames().forEachRemaining(name -> {
            if (!TOP.contains(name)) {
                throw new IllegalArgumentException("resilience." + name + ": unknown key (expected: one of "
                        + String.join(", ", TOP.stream().sorted().toList()) + ")");
            }
        });
        Map<String, Duration> deadlines = new LinkedHashMap<>();
        JsonNode endpoints = section.path("endpoint-deadlines");
        if (!endpoints.isMissingNode()) {
            requireObject("resilience.endpoint-deadlines", endpoints);
            endpoints.fields().forEachRemaining(e -> deadlines.put(e.getKey(),
                    duration("resilience.endpoint-deadlines." + e.getKey(), e.getValue())));
        }
        try {
            return new ResilienceSettings(retry(section.path("retry")), circuit(section.path("circuit")),
                    cache(section.path("cache")), deadlines,
                    section.has("stream-idle-timeout")
                            ? duration("resilience.stream-idle-timeout", section.get("stream-idle-timeout"))
                            : defaults.streamIdleTimeout(),
                    !section.has("coalescing") || bool("resilience.coalescing", section.get("coalescing")));
        } catch (IllegalArgumentException invalid) {
            throw invalid.getMessage().startsWith("resilience.") ? invalid
                    : new IllegalArgumentException("resilience." + invalid.getMessage(), invalid);
        }
    }

    private static RetryConfig retry(JsonNode node) {
        RetryConfig.Builder builder = RetryConfig.builder();
        forEach("retry", node, (key, value) -> {
            String path = "resilience.retry." + key;
            switch (key) {
                case "max-attempts" -> builder.maxAttempts(integer(path, value));
                case "overall-deadline" -> builder.overallDeadline(duration(path, value));
                case "attempt-timeout" -> builder.attemptTimeout(duration(path, value));
                case "retry-after-cap" -> builder.retryAfterCap(duration(path, value));
                case "budget-ratio" -> builder.budgetRatio(number(path, value));
                case "budget-min-retries" -> builder.budgetMinRetries(integer(path, value));
                case "budget-window" -> builder.budgetWindow(duration(path, value));
                default -> throw unknown(path, "attempt-timeout, budget-min-retries, budget-ratio, budget-window,"
                        + " max-attempts, overall-deadline, retry-after-cap");
            }
        });
        return builder.build();
    }

    private static CircuitConfig circuit(JsonNode node) {
        CircuitConfig defaults = CircuitConfig.ofDefaults();
        int[] ints = {defaults.failureThreshold(), defaults.halfOpenProbes()};
        Duration[] durations = {defaults.openDuration(), defaults.monitorInterval(), defaults.slowStartDuration()};
        forEach("circuit", node, (key, value) -> {
            String path = "resilience.circuit." + key;
            switch (key) {
                case "failure-threshold" -> ints[0] = integer(path, value);
                case "half-open-probes" -> ints[1] = integer(path, value);
                case "open-duration" -> durations[0] = duration(path, value);
                case "monitor-interval" -> durations[1] = duration(path, value);
                case "slow-start" -> durations[2] = duration(path, value);
                default -> throw unknown(path, "failure-threshold, half-open-probes, monitor-interval,"
                        + " open-duration, slow-start");
            }
        });
        return new CircuitConfig(ints[0], durations[0], ints[1], durations[1], durations[2]);
    }

    private static CacheConfig cache(JsonNode node) {
        CacheConfig defaults = CacheConfig.ofDefaults();
        boolean[] flags = {defaults.enabled(), defaults.cacheZeroRetention()};
        long[] sizes = {defaults.memoryMaxBytes(), defaults.diskMaxBytes(), defaults.maxEntryBytes()};
        Duration[] maxAge = {defaults.maxAge()};
        Path[] directory = {null};
        forEach("cache", node, (key, value) -> {
            String path = "resilience.cache." + key;
            switch (key) {
                case "enabled" -> flags[0] = bool(path, value);
                case "cache-zero-retention" -> flags[1] = bool(path, value);
                case "memory-max-bytes" -> sizes[0] = bytes(path, value);
                case "disk-max-bytes" -> sizes[1] = bytes(path, value);
                case "max-entry-bytes" -> sizes[2] = bytes(path, value);
                case "max-age" -> maxAge[0] = duration(path, value);
                case "directory" -> directory[0] = Path.of(text(path, value));
                default -> throw unknown(path, "cache-zero-retention, directory, disk-max-bytes, enabled, max-age,"
                        + " max-entry-bytes, memory-max-bytes");
            }
        });
        return new CacheConfig(flags[0], sizes[0], directory[0], sizes[1], maxAge[0], sizes[2], flags[1]);
    }

    private interface FieldVisitor {
        void visit(String key, JsonNode value);
    }

    private static void forEach(String section, JsonNode node, FieldVisitor visitor) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        requireObject("resilience." + section, node);
        node.fields().forEachRemaining(e -> visitor.visit(e.getKey(), e.getValue()));
    }

    private static void requireObject(String path, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + ": " + node + " (expected: a mapping)");
        }
    }

    private static IllegalArgumentException unknown(String path, String expected) {
        return new IllegalArgumentException(path + ": unknown key (expected: one of " + expected + ")");
    }

    private static int integer(String path, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(path + ": " + value + " (expected: a whole number)");
        }
        return value.intValue();
    }

    private static double number(String path, JsonNode value) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException(path + ": " + value + " (expected: a number)");
        }
        return value.doubleValue();
    }

    private static boolean bool(String path, JsonNode value) {
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(path + ": " + value + " (expected: true or false)");
        }
        return value.booleanValue();
    }

    private static String text(String path, JsonNode value) {
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(path + ": " + value + " (expected: a non-empty text)");
        }
        return value.asText();
    }

    private static Duration duration(String path, JsonNode value) {
        try {
            return DurationText.parse(value.isNumber() ? value.asText() + "s" : text(path, value));
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(path + ": " + value
                    + " (expected: a number with ms, s, m or h, or ISO-8601 like PT30S)", invalid);
        }
    }

    private static long bytes(String path, JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        String raw = text(path, value).trim();
        String lower = raw.toLowerCase(Locale.ROOT);
        long unit = lower.endsWith("kib") ? 1L << 10 : lower.endsWith("mib") ? 1L << 20 : lower.endsWith("gib")
                ? 1L << 30 : 1L;
        String digits = unit == 1L ? raw : raw.substring(0, raw.length() - 3).trim();
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException invalid) {
            throw new IllegalArgumentException(path + ": " + value + " (expected: bytes, or a number with KiB, MiB"
                    + " or GiB)", invalid);
        }
    }
}
