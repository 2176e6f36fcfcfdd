package dev.xigate.simulator.internal;

import dev.xigate.error.ApiError;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Answers the errors the HTTP server raises itself, before any route runs (malformed request line, bad headers,
 * unsupported HTTP version), in the ElevenLabs error shape with ids, instead of the server's plain text.
 */
public final class TransportErrors implements DirectHandler {
    private TransportErrors() {
    }

    /** Returns direct handlers that answer every server-level error in the ElevenLabs shape. */
    public static DirectHandlers all() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        TransportErrors handler = new TransportErrors();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
            ServerResponseHeaders headers, String message) {
        int code = defaultStatus.code() >= 400 && defaultStatus.code() <= 599 ? defaultStatus.code() : 400;
        ApiError error = switch (eventType) {
            case PAYLOAD_TOO_LARGE -> ApiError.of(code, "invalid_request_error", "payload_too_large",
                    "The request is too large.");
            case INTERNAL_ERROR -> ApiError.of(code, "internal_error", "internal_server_error",
                    "Internal Server error. All such crashes are reported to us automatically.");
            default -> ApiError.of(code, "invalid_request_error", "invalid_request",
                    "The HTTP request is malformed: " + defaultStatus.reasonPhrase());
        };
        String traceId = Ids.traceId();
        return TransportResponse.builder()
                .status(Status.create(code))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.create("request-id"), Ids.requestId())
                .header(HeaderNames.create("x-trace-id"), traceId)
                .keepAlive(eventType.keepAlive())
                .entity(error.toJson(traceId))
                .build();
    }
}
