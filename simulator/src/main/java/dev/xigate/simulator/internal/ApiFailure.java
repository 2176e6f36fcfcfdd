package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xigate.error.ApiError;
import java.util.Map;

/** Returns an error in the ElevenLabs envelope ({@link ApiError}), with optional extra headers. */
final class ApiFailure extends SimFailure {
    private static final long serialVersionUID = 1L;
    private final transient ApiError error;
    private final transient Map<String, String> headers;

    ApiFailure(ApiError error) {
        this(error, Map.of());
    }

    ApiFailure(ApiError error, Map<String, String> headers) {
        super(error.message());
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    ApiError error() {
        return error;
    }

    @Override
    int httpStatus() {
        return error.httpStatus();
    }

    @Override
    JsonNode body(String traceId) {
        return error.toJsonTree(traceId);
    }

    @Override
    Map<String, String> headers() {
        return headers;
    }
}
