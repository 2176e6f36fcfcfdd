/**
 * Circuit breaking per model family pool: a breaker per family built on Resilience4j, its state listener and
 * monitor, and the slow start that ramps a pool back up after its breaker closes.
 */
package dev.xigate.circuit;
