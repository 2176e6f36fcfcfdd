package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Returns a 422 answer in FastAPI's shape: {@code {"detail": [{"type", "loc", "msg", "input"}, ...]}}. */
final class ValidationFailure extends SimFailure {
    private static final long serialVersionUID = 1L;
    private final transient ArrayNode details;

    ValidationFailure(ArrayNode details) {
        super("validation failed: " + details.size() + " error(s)");
        this.details = details;
    }

    @Override
    int httpStatus() {
        return 422;
    }

    @Override
    JsonNode body(String traceId) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("detail", details);
        return root;
    }
}
