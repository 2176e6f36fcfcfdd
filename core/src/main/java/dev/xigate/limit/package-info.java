/**
 * Concurrency limiting for the ElevenLabs API: one pool per model family, a bounded priority queue in front of each
 * pool, optional rate policies (token bucket, sliding window, character budget) and adaptive limits learned from the
 * upstream's concurrency headers and 429 answers.
 *
 * <p>The entry point is {@link dev.xigate.limit.Limiter}; see {@code docs/limits.md} for configuration and the
 * algorithms.
 */
package dev.xigate.limit;
