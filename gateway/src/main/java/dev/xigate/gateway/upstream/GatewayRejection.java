package dev.xigate.gateway.upstream;

import dev.xigate.error.ApiError;
import java.util.Map;
import java.util.Objects;

/**
 * Thrown by a pipeline stage that refuses a request: the gateway answers with {@link #error()} and
 * {@link #headers()} (for example {@code Retry-After}) instead of calling the upstream.
 *
 * <p>Created without a stack trace: rejections are expected under load and cheap to throw.
 */
public final class GatewayRejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;
    private final transient Map<String, String> headers;

    /** Creates a rejection answered with this error and these extra response headers. */
    public GatewayRejection(ApiError error, Map<String, String> headers) {
        super(error.status() + ": " + error.message(), null, false, false);
        this.error = Objects.requireNonNull(error, "error");
        this.headers = Map.copyOf(headers);
    }

    /** Returns the error to answer with. */
    public ApiError error() {
        return error;
    }

    /** Returns the extra response headers ({@code Retry-After}, {@code x-xigate-reject-reason}, ...). */
    public Map<String, String> headers() {
        return headers;
    }
}
