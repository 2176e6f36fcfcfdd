package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.FaultKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/** Reads and writes the chaos JSON of {@code /_sim/chaos}. */
final class ChaosJson {
    private ChaosJson() {
    }

    static ObjectNode write(ChaosConfig chaos, Map<FaultKind, Integer> queued) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ObjectNode rates = node.putObject("failure_rates");
        for (FaultKind kind : FaultKind.values()) {
            rates.put(kind.label(), chaos.failureRate(kind));
        }
        ObjectNode next = node.putObject("fail_next");
        queued.forEach((kind, count) -> next.put(kind.label(), count));
        node.put("extra_latency_ms", chaos.extraLatency().toMillis());
        node.put("jitter_ms", chaos.extraJitter().toMillis());
        node.put("retry_after_seconds", chaos.retryAfterSeconds());
        node.put("stall_ms", chaos.stall().toMillis());
        ObjectNode limits = node.putObject("limits");
        chaos.limits().forEach((family, limit) -> limits.put(family.label(), limit));
        return node;
    }

    /**
     * Returns the chaos a JSON object describes; absent fields take their "no chaos" default.
     *
     * @throws IllegalArgumentException with a message naming the bad field
     */
    static ChaosConfig read(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("chaos: " + node.getNodeType() + " (expected: a JSON object)");
        }
        ChaosConfig.Builder builder = ChaosConfig.builder();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = node.get(name);
            switch (name) {
                case "failure_rates" -> forEach(value, name, (key, v) -> builder.failureRate(FaultKind.fromLabel(key),
                        number(v, name + "." + key)));
                case "limits" -> forEach(value, name, (key, v) -> builder.limit(ModelFamily.fromLabel(key),
                        (int) whole(v, name + "." + key)));
                case "extra_latency_ms" -> builder.extraLatency(Duration.ofMillis(whole(value, name)));
                case "jitter_ms" -> builder.extraJitter(Duration.ofMillis(whole(value, name)));
                case "retry_after_seconds" -> builder.retryAfterSeconds((int) whole(value, name));
                case "stall_ms" -> builder.stall(Duration.ofMillis(whole(value, name)));
                case "fail_next" -> forEach(value, name, (key, v) -> {
                    FaultKind.fromLabel(key);
                    whole(v, name + "." + key);
                });
                default -> throw new IllegalArgumentException("chaos field: " + name + " (expected: one of "
                        + "failure_rates, fail_next, extra_latency_ms, jitter_ms, retry_after_seconds, stall_ms, "
                        + "limits)");
            }
        }
        return builder.build();
    }

    /** Returns the one-shot faults a chaos JSON object asks for ({@code fail_next}). */
    static Map<FaultKind, Integer> failNext(JsonNode node) {
        Map<FaultKind, Integer> out = new EnumMap<>(FaultKind.class);
        JsonNode next = node.get("fail_next");
        if (next != null && next.isObject()) {
            forEach(next, "fail_next", (key, v) -> out.put(FaultKind.fromLabel(key), (int) whole(v, key)));
        }
        return out;
    }

    private static void forEach(JsonNode value, String name, BiConsumer<String, JsonNode> action) {
        if (!value.isObject()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a JSON object)");
        }
        value.fields().forEachRemaining(entry -> action.accept(entry.getKey(), entry.getValue()));
    }

    private static double number(JsonNode value, String name) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a number)");
        }
        return value.asDouble();
    }

    private static long whole(JsonNode value, String name) {
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: an integer >= 0)");
        }
        return value.asLong();
    }
}
