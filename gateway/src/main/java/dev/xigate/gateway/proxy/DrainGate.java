package dev.xigate.gateway.proxy;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests in flight and refuses new ones once draining starts, so that shutdown can wait for the
 * in-flight ones up to a deadline. Thread-safe.
 */
public final class DrainGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    // Mutable state, guarded by lock: written by request threads (enter/leave) and the shutdown thread (drain).
    private int inFlight;
    private boolean draining;

    /** Returns whether a new request may start; a {@code true} must be matched by {@link #leave()}. */
    public boolean tryEnter() {
        lock.lock();
        try {
            if (draining) {
                return false;
            }
            inFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Marks one request as finished. */
    public void leave() {
        lock.lock();
        try {
            inFlight--;
            if (inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns the number of requests in flight. */
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether draining has started. */
    public boolean isDraining() {
        lock.lock();
        try {
            return draining;
        } finally {
            lock.unlock();
        }
    }

    /** Starts draining: new requests are refused from now on. */
    public void startDraining() {
        lock.lock();
        try {
            draining = true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no request is in flight or the deadline passes; returns whether all finished. */
    public boolean awaitIdle(Duration deadline) throws InterruptedException {
        long remainingNanos = deadline.toNanos();
        lock.lock();
        try {
            while (inFlight > 0) {
                if (remainingNanos <= 0) {
                    return false;
                }
                remainingNanos = idle.awaitNanos(remainingNanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
