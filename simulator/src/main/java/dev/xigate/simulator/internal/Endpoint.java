package dev.xigate.simulator.internal;

/** Handles one route of the simulated API. */
@FunctionalInterface
interface Endpoint {
    void handle(Exchange exchange);
}
