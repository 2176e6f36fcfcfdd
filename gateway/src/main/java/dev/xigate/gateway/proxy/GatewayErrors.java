package dev.xigate.gateway.proxy;

import dev.xigate.error.ApiError;
import dev.xigate.limit.Admission;
import dev.xigate.limit.RejectReason;
import java.time.Duration;

/** Creates the gateway's own errors, in the ElevenLabs error shape with the gateway's {@code detail.status} words. */
public final class GatewayErrors {
    private GatewayErrors() {
    }

    /** Returns the 401 for a missing or unknown client key, worded as the real API words it. */
    public static ApiError invalidApiKey() {
        return new ApiError(401, "authentication_error", "invalid_api_key", "invalid_api_key",
                "Invalid API key", null);
    }

    /** Returns the 404 for a method and path the gateway does not forward. */
    public static ApiError notFound(String method, String path) {
        return ApiError.of(404, "invalid_request_error", "not_found",
                "The gateway does not serve " + method + " " + path);
    }

    /** Returns the 413 for a body over the size limit. */
    public static ApiError payloadTooLarge(long limitBytes) {
        return ApiError.of(413, "validation_error", "payload_too_large",
                "The request body is larger than the gateway's limit of " + limitBytes + " bytes");
    }

    /** Returns the 400 for a body whose model id cannot be read. */
    public static ApiError invalidBody(String message, String param) {
        return new ApiError(400, "validation_error", "invalid_request_body", "invalid_request_body", message, param);
    }

    /** Returns the 400 for a bad gateway header. */
    public static ApiError invalidHeader(String header, String message) {
        return new ApiError(400, "validation_error", "invalid_header", "invalid_header", message, header);
    }

    /** Returns the 429 for a client over its own concurrency limit. */
    public static ApiError clientLimit(String client, int limit) {
        return ApiError.of(429, "rate_limit_error", "client_limit_exceeded",
                "Client " + client + " already has " + limit + " requests in the gateway, its maximum");
    }

    /** Returns the error for a limiter rejection, with the status the reason calls for (429, 403 or 503). */
    public static ApiError rejected(RejectReason reason, String message) {
        return new Admission.Rejected(reason, Duration.ZERO, message).toApiError();
    }

    /** Returns the 503 for a request that arrives while the gateway drains. */
    public static ApiError shuttingDown() {
        return ApiError.of(503, "service_unavailable", "shutting_down", "The gateway is shutting down");
    }

    /** Returns the 502 for an upstream that cannot be reached or broke off. */
    public static ApiError upstreamUnavailable() {
        return ApiError.of(502, "upstream_error", "upstream_unavailable", "The upstream API could not be reached");
    }

    /** Returns the 504 for an upstream that sent no response headers in time. */
    public static ApiError upstreamTimeout() {
        return ApiError.of(504, "upstream_error", "upstream_timeout", "The upstream API did not answer in time");
    }

    /** Returns the 500 for a fault in the gateway itself. */
    public static ApiError internal() {
        return ApiError.of(500, "internal_error", "internal_server_error", "The gateway failed to handle the request");
    }
}
