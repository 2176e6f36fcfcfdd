package dev.xigate.limit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pool decided under its lock and delivers after releasing it: futures are completed and listeners called
 * outside the lock, because their callbacks may call back into the limiter.
 *
 * <p>Deliveries are trampolined per thread: a callback that releases its permit at once triggers the next grant,
 * whose delivery would run that callback's successor, and so on. Instead of recursing once per queued request (a
 * stack overflow with thousands queued), a flush started inside another flush on the same thread is queued and run
 * by the outer one before it returns.
 */
final class Outbox {
    private static final ThreadLocal<ArrayDeque<Outbox>> FLUSHING = new ThreadLocal<>();

    private final DefaultLimiter limiter;
    // Created on first use: most slow-path calls deliver one waiter or nothing.
    private List<Waiter> deliveries = List.of();
    private List<LimiterEvent> events = List.of();

    Outbox(DefaultLimiter limiter) {
        this.limiter = limiter;
    }

    void deliver(Waiter waiter) {
        if (deliveries.isEmpty()) {
            deliveries = new ArrayList<>(2);
        }
        deliveries.add(waiter);
    }

    void event(LimiterEvent event) {
        if (!limiter.hasListeners()) {
            return;
        }
        if (events.isEmpty()) {
            events = new ArrayList<>(2);
        }
        events.add(event);
    }

    /**
     * Completes the futures and publishes the events; a permit whose ticket was cancelled meanwhile is released.
     *
     * @return whether this call completed a waiter's future itself (false when there was none, or when an outer
     *     flush on this thread will)
     */
    boolean flush() {
        if (deliveries.isEmpty() && events.isEmpty()) {
            return false;
        }
        ArrayDeque<Outbox> pending = FLUSHING.get();
        if (pending != null) {
            pending.add(this);
            return false;
        }
        pending = new ArrayDeque<>();
        FLUSHING.set(pending);
        try {
            deliverAll();
            for (Outbox next = pending.poll(); next != null; next = pending.poll()) {
                next.deliverAll();
            }
        } finally {
            FLUSHING.remove();
        }
        return !deliveries.isEmpty();
    }

    private void deliverAll() {
        for (LimiterEvent event : events) {
            limiter.publish(event);
        }
        for (Waiter waiter : deliveries) {
            flushOne(waiter);
        }
    }

    private void flushOne(Waiter waiter) {
        Admission answer = waiter.pending;
        if (waiter.deliver()) {
            limiter.publishDecision(waiter.pool.family(), waiter.request, answer);
            return;
        }
        // The ticket was cancelled between the decision and its delivery: never leak the slot.
        if (answer instanceof Admission.Granted granted) {
            granted.permit().release();
        }
        if (limiter.hasListeners()) {
            limiter.publish(new LimiterEvent.Cancelled(waiter.pool.family(), waiter.request,
                    queueWaitOf(answer)));
        }
    }

    private static Duration queueWaitOf(Admission answer) {
        return answer instanceof Admission.Granted granted ? granted.queueWait() : Duration.ZERO;
    }
}
