package dev.xigate.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * An error answer in the ElevenLabs error shape.
 *
 * <p>The body is the current documented envelope, which old clients (reading {@code detail.status}) and new ones
 * (reading {@code detail.code}) both understand:
 * <pre>{@code
 * {"detail": {"type": "rate_limit_error", "code": "concurrent_limit_exceeded",
 *             "status": "too_many_concurrent_requests", "message": "...", "request_id": "...", "param": "..."}}
 * }</pre>
 * The simulator uses it to answer like the real API; the gateway uses it for its own errors, with its own
 * {@code status} values ({@code queue_full}, {@code queue_timeout}, {@code circuit_open}, ...). Immutable.
 *
 * @param httpStatus the HTTP status code to answer with
 * @param type the error class ({@code validation_error}, {@code rate_limit_error}, ...)
 * @param code the machine-readable code new clients read
 * @param status the legacy machine-readable status old clients read
 * @param message a sentence for a person
 * @param param the offending request field, or {@code null}
 */
public record ApiError(int httpStatus, String type, String code, String status, String message, String param) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Creates an error. */
    public ApiError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus: " + httpStatus + " (expected: 400..599)");
        }
    }

    /** Creates an error whose code and legacy status are the same word, as most ElevenLabs errors have. */
    public static ApiError of(int httpStatus, String type, String status, String message) {
        return new ApiError(httpStatus, type, status, status, message, null);
    }

    /** Returns a copy naming the offending request field. */
    public ApiError withParam(String offendingParam) {
        return new ApiError(httpStatus, type, code, status, message, offendingParam);
    }

    /** Returns the body as a JSON tree, tagged with the request id. */
    public ObjectNode toJsonTree(String requestId) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode detail = root.putObject("detail");
        detail.put("type", type);
        detail.put("code", code);
        detail.put("message", message);
        detail.put("status", status);
        detail.put("request_id", requestId);
        if (param != null) {
            detail.put("param", param);
        }
        return root;
    }

    /** Returns the body as compact JSON text, tagged with the request id. */
    public String toJson(String requestId) {
        return toJsonTree(requestId).toString();
    }
}
