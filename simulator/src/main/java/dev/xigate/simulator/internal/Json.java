package dev.xigate.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Holds the one JSON mapper of the simulator. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
