package dev.xigate.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Returns how long the simulated API takes for one model family: a time to first byte plus a generation time per
 * unit of work, each stretched by a random jitter.
 *
 * <p>The unit is a character of text for text-to-speech, and a second of audio for speech-to-text, music and sound
 * effects. A request of {@code n} units takes {@code ttfb + n * perUnit}, each term multiplied by a factor drawn
 * uniformly from {@code [1 - jitter, 1 + jitter]}.
 *
 * @param ttfb the time before the first audio byte (or the response, for non-streaming endpoints)
 * @param perUnit the generation time per character (TTS) or per second of audio (STT, music, sound)
 * @param jitter the relative spread of both terms, in {@code [0, 1]}
 */
public record LatencyProfile(Duration ttfb, Duration perUnit, double jitter) {
    /** Creates a profile. */
    public LatencyProfile {
        Objects.requireNonNull(ttfb, "ttfb");
        Objects.requireNonNull(perUnit, "perUnit");
        if (ttfb.isNegative()) {
            throw new IllegalArgumentException("ttfb: " + ttfb + " (expected: >= 0)");
        }
        if (perUnit.isNegative()) {
            throw new IllegalArgumentException("perUnit: " + perUnit + " (expected: >= 0)");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0..1)");
        }
    }

    /** Creates a profile from milliseconds, with 10% jitter. */
    public static LatencyProfile ofMillis(long ttfbMillis, double perUnitMillis) {
        return new LatencyProfile(Duration.ofMillis(ttfbMillis), Duration.ofNanos((long) (perUnitMillis * 1e6)), 0.1);
    }

    /** Returns a copy with another time to first byte. */
    public LatencyProfile withTtfb(Duration newTtfb) {
        return new LatencyProfile(newTtfb, perUnit, jitter);
    }

    /** Returns a copy with another generation time per unit. */
    public LatencyProfile withPerUnit(Duration newPerUnit) {
        return new LatencyProfile(ttfb, newPerUnit, jitter);
    }

    /** Returns a copy with another jitter. */
    public LatencyProfile withJitter(double newJitter) {
        return new LatencyProfile(ttfb, perUnit, newJitter);
    }
}
