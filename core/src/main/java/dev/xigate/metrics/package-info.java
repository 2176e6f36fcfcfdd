/**
 * Metric names and the small recorder API through which the request path reports what it did.
 *
 * <p>{@link dev.xigate.metrics.MetricNames} holds every exposed name (the seed's {@code elevenlabs_*} names exactly,
 * plus xigate's own meters in the same family). {@link dev.xigate.metrics.GatewayMetrics} is the recorder the request
 * path calls; {@link dev.xigate.metrics.GatewayMetrics#noop()} is the default when nothing is bound, and
 * {@link dev.xigate.metrics.MicrometerGatewayMetrics} binds it to a Micrometer registry.
 */
package dev.xigate.metrics;
