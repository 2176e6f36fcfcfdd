package dev.xigate.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/** A fake clock and scheduler: time moves only in {@link #advance}, which runs the tasks that fall due. */
final class ManualTime implements LongSupplier, LimiterScheduler {
    private long nowNanos = 1_000_000_000L;
    private final List<Task> tasks = new ArrayList<>();
    private long sequence;

    @Override
    public synchronized long getAsLong() {
        return nowNanos;
    }

    @Override
    public synchronized ScheduledTask schedule(Runnable task, long delayNanos) {
        Task scheduled = new Task(nowNanos + delayNanos, sequence++, task);
        tasks.add(scheduled);
        return () -> {
            synchronized (this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Moves time forward, running every task due on the way at its own time. */
    void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nowNanos + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.dueNanos <= target)
                        .min(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::sequence))
                        .orElse(null);
                if (next == null) {
                    nowNanos = target;
                    return;
                }
                tasks.remove(next);
                nowNanos = Math.max(nowNanos, next.dueNanos);
            }
            next.action.run();
        }
    }

    synchronized int pendingTasks() {
        return tasks.size();
    }

    private record Task(long dueNanos, long sequence, Runnable action) {
    }
}
