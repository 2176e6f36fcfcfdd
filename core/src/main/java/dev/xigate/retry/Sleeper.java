package dev.xigate.retry;

import java.time.Duration;

/** Waits between attempts; injected so tests drive retry delays with a fake clock instead of real time. */
@FunctionalInterface
public interface Sleeper {
    /** Returns the sleeper that parks the current (virtual) thread. */
    static Sleeper system() {
        return duration -> Thread.sleep(duration);
    }

    /** Waits for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
}
