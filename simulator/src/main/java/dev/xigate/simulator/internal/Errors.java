package dev.xigate.simulator.internal;

import dev.xigate.error.ApiError;
import java.util.Map;

/** Creates the error answers of the live API (statuses, codes and messages as observed or documented). */
final class Errors {
    private Errors() {
    }

    static ApiFailure missingKey() {
        return new ApiFailure(ApiError.of(401, "authentication_error", "needs_authorization",
                "Neither authorization header nor xi-api-key received, please provide one."));
    }

    static ApiFailure invalidKey() {
        return new ApiFailure(ApiError.of(401, "authentication_error", "invalid_api_key", "Invalid API key"));
    }

    static ApiFailure voiceNotFound(String voiceId) {
        return new ApiFailure(ApiError.of(400, "validation_error", "voice_not_found",
                "A voice for the voice_id " + voiceId + " was not found."));
    }

    static ApiFailure modelNotFound(String modelId) {
        return new ApiFailure(ApiError.of(400, "validation_error", "model_not_found",
                "A model with model ID " + modelId + " does not exist.").withParam("model_id"));
    }

    static ApiFailure modelCannotDo(String modelId, String task) {
        return new ApiFailure(ApiError.of(400, "validation_error", "invalid_model",
                "The model " + modelId + " cannot be used for " + task + ".").withParam("model_id"));
    }

    static ApiFailure textTooLong(int length, int limit) {
        return new ApiFailure(ApiError.of(400, "validation_error", "max_character_limit_exceeded",
                "This request's text has " + length + " characters and exceeds the character limit of " + limit
                        + " characters.").withParam("text"));
    }

    static ApiFailure invalidParameters(String param, String message) {
        return new ApiFailure(ApiError.of(400, "validation_error", "invalid_parameters", message).withParam(param));
    }

    static ApiFailure quotaExceeded(long limit, long remaining, long required) {
        return new ApiFailure(ApiError.of(401, "quota_error", "quota_exceeded",
                "This request exceeds your quota of " + limit + ". You have " + remaining
                        + " credits remaining, while " + required + " credits are required for this request."));
    }

    static ApiFailure concurrencyLimit(int limit) {
        return new ApiFailure(new ApiError(429, "rate_limit_error", "concurrent_limit_exceeded",
                "too_many_concurrent_requests",
                "Too many concurrent requests. Your current subscription is associated with a maximum of " + limit
                        + " concurrent requests (running in parallel). Wait for running requests to finish, reduce"
                        + " the number of parallel requests or upgrade your subscription.", null));
    }

    static ApiFailure systemBusy(int retryAfterSeconds) {
        return new ApiFailure(ApiError.of(429, "rate_limit_error", "system_busy",
                "We are sorry, the system is experiencing heavy traffic, please try again. Higher subscriptions "
                        + "have higher priority."), retryAfter(retryAfterSeconds));
    }

    static ApiFailure internalError() {
        return new ApiFailure(ApiError.of(500, "internal_error", "internal_server_error",
                "Internal Server error. All such crashes are reported to us automatically."));
    }

    static ApiFailure badGateway() {
        return new ApiFailure(ApiError.of(502, "internal_error", "bad_gateway",
                "The server received an invalid response from an upstream server."));
    }

    static ApiFailure unavailable(int retryAfterSeconds) {
        return new ApiFailure(ApiError.of(503, "internal_error", "service_unavailable",
                "The service is temporarily unavailable, please try again."), retryAfter(retryAfterSeconds));
    }

    static ApiFailure notFound() {
        return new ApiFailure(ApiError.of(404, "not_found_error", "not_found", "Not Found"));
    }

    static ApiFailure methodNotAllowed() {
        return new ApiFailure(ApiError.of(405, "invalid_request_error", "method_not_allowed", "Method Not Allowed"));
    }

    static ApiFailure payloadTooLarge(long limit) {
        return new ApiFailure(ApiError.of(413, "invalid_request_error", "payload_too_large",
                "The request body exceeds the limit of " + limit + " bytes."));
    }

    static ApiFailure formatNotOnPlan(String format, String tier) {
        return new ApiFailure(ApiError.of(403, "authorization_error", "output_format_not_allowed",
                "Output format '" + format + "' is only available on the " + tier + " tier and above"));
    }

    private static Map<String, String> retryAfter(int seconds) {
        return seconds > 0 ? Map.of("Retry-After", Integer.toString(seconds)) : Map.of();
    }
}
