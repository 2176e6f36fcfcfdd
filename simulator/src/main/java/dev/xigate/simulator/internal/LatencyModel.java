package dev.xigate.simulator.internal;

import dev.xigate.plan.ModelFamily;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.LatencyProfile;
import dev.xigate.simulator.SimulatorConfig;
import java.util.concurrent.ThreadLocalRandom;

/** Returns the simulated delays of a request from its family's profile, the global scale and the chaos. */
final class LatencyModel {
    private final SimulatorConfig config;

    LatencyModel(SimulatorConfig config) {
        this.config = config;
    }

    /** Returns the time to first byte in nanoseconds, chaos latency included. */
    long ttfbNanos(ModelFamily family, ChaosConfig chaos) {
        LatencyProfile profile = config.latency().get(family);
        double base = jittered(profile.ttfb().toNanos(), profile.jitter());
        double extra = chaos.extraLatency().toNanos();
        long jitterBound = chaos.extraJitter().toNanos();
        if (jitterBound > 0) {
            extra += ThreadLocalRandom.current().nextLong(jitterBound + 1);
        }
        return Math.round((base + extra) * config.latencyScale());
    }

    /** Returns the generation time of {@code units} characters or audio seconds, in nanoseconds. */
    long generationNanos(ModelFamily family, double units) {
        LatencyProfile profile = config.latency().get(family);
        return Math.round(jittered(profile.perUnit().toNanos() * units, profile.jitter()) * config.latencyScale());
    }

    private static double jittered(double value, double jitter) {
        if (jitter == 0 || value == 0) {
            return value;
        }
        return value * (1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter));
    }
}
