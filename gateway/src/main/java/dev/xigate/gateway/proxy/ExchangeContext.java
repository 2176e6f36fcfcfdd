package dev.xigate.gateway.proxy;

import dev.xigate.gateway.auth.ClientIdentity;
import dev.xigate.plan.ModelFamily;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What the gateway knows about one request while it passes through the pipeline.
 *
 * <p>Stages read it (family, priority, client) and add response headers that explain their decisions
 * ({@code x-xigate-queue-wait-ms}, ...). Thread-safe: the header map is concurrent.
 *
 * @param requestId the gateway request id, reused from the client's {@code x-request-id} when it sent one
 * @param client the authenticated client
 * @param endpoint the allowlisted route's name ({@code text_to_speech_stream}, ...)
 * @param family the concurrency family, or {@code null} for requests that need no upstream slot
 * @param modelId the model the request uses ({@code null} when the route takes none)
 * @param priority the effective priority level (0 = highest)
 * @param userId the client's {@code x-user-id}, or {@code null}
 * @param characters the text length for text requests, else 0
 * @param clientConnected tells whether the client is still connected (checked while queued)
 * @param responseHeaders headers the stages add to the client's response
 * @param admissions how many times the request went through admission (a retry goes again)
 */
public record ExchangeContext(String requestId, ClientIdentity client, String endpoint, ModelFamily family,
        String modelId, int priority, String userId, long characters, BooleanSupplier clientConnected,
        Map<String, String> responseHeaders, AtomicInteger admissions) {

    /** Creates a context with an empty, mutable header map and no admission yet. */
    public ExchangeContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(clientConnected, "clientConnected");
        responseHeaders = responseHeaders == null ? new ConcurrentHashMap<>() : responseHeaders;
        admissions = admissions == null ? new AtomicInteger() : admissions;
    }

    /** Returns whether the request counts against a family's upstream concurrency. */
    public boolean needsPermit() {
        return family != null;
    }
}
