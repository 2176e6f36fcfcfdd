package dev.xigate.gateway.proxy;

/**
 * What the gateway read from a request body to place it in a pool.
 *
 * @param modelId the {@code model_id} the body names, or {@code null} when it names none
 * @param characters the length of its {@code text} field (0 when there is none)
 */
public record BodyClassification(String modelId, long characters) {
    /** The classification of a body that names nothing. */
    public static final BodyClassification EMPTY = new BodyClassification(null, 0);
}
