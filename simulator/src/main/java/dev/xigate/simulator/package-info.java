/**
 * The ElevenLabs API simulator: {@link dev.xigate.simulator.Simulator} starts it in-process,
 * {@link dev.xigate.simulator.SimulatorConfig} and {@link dev.xigate.simulator.ChaosConfig} configure it, and
 * {@link dev.xigate.simulator.SimulatorStats} reports what it saw. Subpackages {@code audio} (valid audio in every
 * output format) and {@code internal} (HTTP and WebSocket handling; may change without notice) support it.
 */
package dev.xigate.simulator;
