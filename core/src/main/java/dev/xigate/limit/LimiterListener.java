package dev.xigate.limit;

/**
 * Receives the limiter's events. Called on the thread that made the decision (a caller, a releaser or the timer
 * thread), never while a pool lock is held; keep it short and never throw (exceptions are swallowed).
 */
@FunctionalInterface
public interface LimiterListener {

    /** Records one event. */
    void onEvent(LimiterEvent event);
}
