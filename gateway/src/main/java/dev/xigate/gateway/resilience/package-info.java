/**
 * The resilience stages of the gateway's upstream pipeline: retries, circuit breaking and the cached-audio
 * fallback around each call, and the audio cache with request coalescing in front of admission.
 */
package dev.xigate.gateway.resilience;
