package dev.xigate.gateway.proxy;

import java.time.Duration;
import java.util.Map;

/**
 * What happened to one request, for access logs and metrics. Never holds a key, a header value or a body.
 *
 * @param requestId the gateway request id
 * @param client the client name ({@code -} when authentication failed)
 * @param method the HTTP method
 * @param endpoint the route name, or {@code -} for a path the gateway does not serve
 * @param family the family label, or {@code -} for requests that need no slot
 * @param priority the effective priority level, or -1 when not yet known
 * @param status the HTTP status the client got (0 when the client went away before any)
 * @param duration the time from arrival to the last byte sent
 * @param queueWait the time spent waiting for a slot
 * @param bytesSent the body bytes sent to the client
 * @param outcome a short word: {@code ok}, {@code rejected}, {@code client_gone}, {@code upstream_error}, ...
 * @param modelId the model the request named, or {@code null}
 * @param userId the caller's {@code x-user-id}, or {@code null}
 * @param characters the text length of a text request, else 0
 * @param timeToFirstByte the time from arrival to the first body byte streamed, or {@code null} when none was
 * @param stageHeaders the {@code x-xigate-*} headers the stages added (queue wait, reject reason, attempts, ...)
 */
public record ExchangeRecord(String requestId, String client, String method, String endpoint, String family,
        int priority, int status, Duration duration, Duration queueWait, long bytesSent, String outcome,
        String modelId, String userId, long characters, Duration timeToFirstByte, Map<String, String> stageHeaders) {
    /** Creates a record; the header map is copied. */
    public ExchangeRecord {
        stageHeaders = stageHeaders == null ? Map.of() : Map.copyOf(stageHeaders);
    }
}
