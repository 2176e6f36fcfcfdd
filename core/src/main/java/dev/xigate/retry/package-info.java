/**
 * Retrying upstream calls: the outcome classifier, backoff schedules, the retry policy with its budget, and the
 * executor that ties them to the circuit breaker and the cached-audio fallback.
 */
package dev.xigate.retry;
