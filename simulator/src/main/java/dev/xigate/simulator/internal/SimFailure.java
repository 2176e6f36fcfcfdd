package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Returns an error answer a handler decided on; thrown to end the handler, caught by the route wrapper. */
abstract sealed class SimFailure extends RuntimeException permits ApiFailure, ValidationFailure {
    private static final long serialVersionUID = 1L;

    SimFailure(String message) {
        super(message, null, false, false);
    }

    abstract int httpStatus();

    abstract JsonNode body(String traceId);

    Map<String, String> headers() {
        return Map.of();
    }
}
