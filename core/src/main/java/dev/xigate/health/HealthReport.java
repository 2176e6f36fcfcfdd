package dev.xigate.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Returns the outcome of one health evaluation: every check's result and the overall verdict. Immutable.
 *
 * <p>JSON form: {@code {"status":"UP|DEGRADED|DOWN","time":"<ISO-8601>","checks":{"<name>":{"status":...,
 * "detail":...}}}}. The overall status is the worst of the checks; the HTTP status is 503 when it is {@code DOWN}
 * and 200 otherwise.
 *
 * @param at when the checks ran
 * @param checks each check's result, in registration order
 */
public record HealthReport(Instant at, Map<String, CheckResult> checks) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Creates a report; the map is copied. */
    public HealthReport {
        Objects.requireNonNull(at, "at");
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(checks, "checks")));
    }

    /** Returns the overall status: {@code DOWN} if any check is down, else {@code DEGRADED} if any is, else UP. */
    public String status() {
        boolean degraded = false;
        for (CheckResult result : checks.values()) {
            if (result instanceof CheckResult.Down) {
                return "DOWN";
            }
            degraded |= result instanceof CheckResult.Degraded;
        }
        return degraded ? "DEGRADED" : "UP";
    }

    /** Returns whether the instance should receive traffic (no check is down). */
    public boolean isReady() {
        return !"DOWN".equals(status());
    }

    /** Returns the HTTP status to answer with: 200 when ready, 503 when not. */
    public int httpStatus() {
        return isReady() ? 200 : 503;
    }

    /** Returns the report as JSON text. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", status());
        root.put("time", at.toString());
        ObjectNode entries = root.putObject("checks");
        checks.forEach((name, result) -> entries.putObject(name)
                .put("status", result.status())
                .put("detail", result.detail()));
        return root.toString();
    }
}
