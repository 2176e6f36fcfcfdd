package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;

/**
 * Temporary copy of the limiter contract; replaced by the limit branch at merge.
 *
 * @param family the pool
 * @param priority 0 = highest
 * @param clientName the client
 * @param characters characters of text
 * @param requestId the request id
 */
public record AdmissionRequest(ModelFamily family, int priority, String clientName, long characters,
        String requestId) {
}
