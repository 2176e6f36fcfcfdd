package dev.xigate.limit;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the limiter's timers: one armed timer per pool at its next deadline (the oldest waiter's maximum wait, the
 * next aging step, a rate policy refill or a probe). No thread per waiter. Tests pass a manual scheduler driven by a
 * fake clock.
 */
@FunctionalInterface
public interface LimiterScheduler {

    /** Returns a handle to cancel a task that runs once after {@code delayNanos}. */
    ScheduledTask schedule(Runnable task, long delayNanos);

    /** A task scheduled by a {@link LimiterScheduler}. */
    @FunctionalInterface
    interface ScheduledTask {
        /** Cancels the task if it has not run yet. */
        void cancel();
    }

    /** Returns a scheduler backed by the executor (the caller owns and shuts down the executor). */
    static LimiterScheduler of(ScheduledExecutorService executor) {
        return (task, delayNanos) -> {
            ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }

    /** Returns the JVM-wide scheduler: one daemon thread that only moves waiters, never runs upstream calls. */
    static LimiterScheduler shared() {
        return SharedScheduler.INSTANCE;
    }

    /** Holds the shared executor, created on first use. */
    final class SharedScheduler {
        private static final LimiterScheduler INSTANCE = of(createExecutor());

        private SharedScheduler() {
        }

        private static ScheduledExecutorService createExecutor() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "xigate-limiter-timer");
                thread.setDaemon(true);
                return thread;
            });
            // Cancelled max-wait timers must not pile up in the queue until their deadline.
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
