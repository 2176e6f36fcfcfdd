/**
 * The simulator's implementation: routes, request validation in the live API's shapes, concurrency gate, quota,
 * chaos, statistics and the TTS WebSocket. Not an API: use {@link dev.xigate.simulator.Simulator}.
 */
package dev.xigate.simulator.internal;
