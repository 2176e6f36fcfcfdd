package dev.xigate.bench;

import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.limit.Permit;
import dev.xigate.limit.Ticket;
import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Release-to-next-waiter hand-off latency: the benchmark thread holds the only permit while a second thread is
 * known to be queued (blocked) for it; the measured operation is {@code release()} until the waiter has returned
 * from its wait and said so through a volatile flag. The per-invocation setup re-arms that situation outside the
 * measurement. Compared with a fair {@link Semaphore} of one permit under the same protocol. Sample mode gives the
 * percentiles; the p99 is the figure to read.
 *
 * <p>In {@code limiter} and {@code semaphore} the waiter is parked (thread state WAITING) before the release, so
 * both figures include the operating system waking a parked thread. {@code limiterReleaseOnly} is the limiter's
 * own hand-off path (release, pick the next waiter, complete its future) on one thread, without any wake-up.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LimiterHandoffBenchmark {

    /** Returns the hand-off time of the limiter. */
    @Benchmark
    public void limiter(LimiterPair pair) {
        pair.held.release();
        spinUntil(() -> pair.woken);
    }

    /** Returns the hand-off time of a fair semaphore. */
    @Benchmark
    public void semaphore(SemaphorePair pair) {
        pair.semaphore.release();
        spinUntil(() -> pair.woken);
    }

    /** Returns the wake-up time of a thread blocked in {@code CompletableFuture.join()}, the limiter's wait. */
    @Benchmark
    public void completableFuture(FuturePair pair) {
        pair.future.complete(Boolean.TRUE);
        spinUntil(() -> pair.woken);
    }

    /** Returns the queued waiter's outcome after releasing the permit ahead of it, all on one thread. */
    @Benchmark
    public boolean limiterReleaseOnly(SameThreadPair pair) {
        pair.held.release();
        return pair.ticket.result().isDone();
    }

    static void spinUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Thread.onSpinWait();
        }
    }

    /** Spins, yielding now and then: used outside the measurement, where the other thread needs the core. */
    static void awaitArmed(BooleanSupplier condition) {
        int spins = 0;
        while (!condition.getAsBoolean()) {
            if (++spins % 64 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Parks the calling thread until the flag is set (the waiter's idle time, outside the measurement). */
    static void parkUntil(BooleanSupplier condition, BooleanSupplier stop) {
        while (!condition.getAsBoolean() && !stop.getAsBoolean()) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** A pool of one permit, the benchmark thread holding it and a background thread queued for it. */
    @State(Scope.Thread)
    public static class LimiterPair {
        private static final AdmissionRequest REQUEST =
                AdmissionRequest.of(ModelFamily.MULTILINGUAL, 1, "bench", 0, "handoff");
        Limiter limiter;
        Permit held;
        volatile boolean go;
        volatile boolean queued;
        volatile boolean woken;
        volatile boolean stop;
        private Thread waiter;

        /** Starts the waiting thread. */
        @Setup(Level.Trial)
        public void start() {
            limiter = Limiter.inMemory(LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 1)
                    .maxWait(Duration.ofMinutes(10)).adaptive(false).build());
            waiter = Thread.ofPlatform().daemon().start(this::waitLoop);
        }

        /** Takes the permit back and lets the waiter queue again, outside the measurement. */
        @Setup(Level.Invocation)
        public void arm() {
            awaitArmed(() -> !go);
            held = limiter.tryAcquire(REQUEST);
            if (held == null) {
                throw new IllegalStateException("the permit was not free before arming");
            }
            woken = false;
            queued = false;
            go = true;
            LockSupport.unpark(waiter);
            awaitArmed(() -> queued && waiter.getState() == Thread.State.WAITING);
        }

        private void waitLoop() {
            while (!stop) {
                parkUntil(() -> go, () -> stop);
                if (stop) {
                    return;
                }
                var ticket = limiter.enqueue(REQUEST);
                queued = true;
                Admission admission = ticket.result().join();
                woken = true;
                if (admission instanceof Admission.Granted granted) {
                    granted.permit().release();
                }
                go = false;
            }
        }

        /** Stops the waiting thread and closes the limiter. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            LockSupport.unpark(waiter);
            limiter.close();
            waiter.join(5_000);
        }
    }

    /**
     * The limiter's hand-off path alone: the permit holder and the queued ticket on the same thread, so that the
     * figure is the time of {@code release()} picking the waiter and completing its future, without any wake-up.
     */
    @State(Scope.Thread)
    public static class SameThreadPair {
        private static final AdmissionRequest REQUEST =
                AdmissionRequest.of(ModelFamily.MULTILINGUAL, 1, "bench", 0, "handoff-same-thread");
        Limiter limiter;
        Permit held;
        Ticket ticket;

        /** Creates a pool of one permit. */
        @Setup(Level.Trial)
        public void start() {
            limiter = Limiter.inMemory(LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 1)
                    .maxWait(Duration.ofMinutes(10)).adaptive(false).build());
        }

        /** Returns the last waiter's permit, takes the permit and queues a ticket behind it. */
        @Setup(Level.Invocation)
        public void arm() {
            if (ticket != null && ticket.result().join() instanceof Admission.Granted granted) {
                granted.permit().release();
            }
            held = limiter.tryAcquire(REQUEST);
            ticket = limiter.enqueue(REQUEST);
        }

        /** Closes the limiter. */
        @TearDown(Level.Trial)
        public void stop() {
            limiter.close();
        }
    }

    /** A plain future completed by the benchmark thread while another thread is blocked on it. */
    @State(Scope.Thread)
    public static class FuturePair {
        volatile CompletableFuture<Boolean> future;
        volatile boolean go;
        volatile boolean waiting;
        volatile boolean woken;
        volatile boolean stop;
        private Thread waiter;

        /** Starts the waiting thread. */
        @Setup(Level.Trial)
        public void start() {
            waiter = Thread.ofPlatform().daemon().start(this::waitLoop);
        }

        /** Gives the waiter a fresh future and lets it block on it, outside the measurement. */
        @Setup(Level.Invocation)
        public void arm() {
            awaitArmed(() -> !go);
            future = new CompletableFuture<>();
            woken = false;
            waiting = false;
            go = true;
            LockSupport.unpark(waiter);
            awaitArmed(() -> waiting && waiter.getState() == Thread.State.WAITING);
        }

        private void waitLoop() {
            while (!stop) {
                parkUntil(() -> go, () -> stop);
                if (stop) {
                    return;
                }
                CompletableFuture<Boolean> mine = future;
                waiting = true;
                mine.join();
                woken = true;
                go = false;
            }
        }

        /** Stops the waiting thread. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            future.complete(Boolean.FALSE);
            LockSupport.unpark(waiter);
            waiter.join(5_000);
        }
    }

    /** A fair semaphore of one permit with the same protocol. */
    @State(Scope.Thread)
    public static class SemaphorePair {
        final Semaphore semaphore = new Semaphore(1, true);
        volatile boolean go;
        volatile boolean woken;
        volatile boolean stop;
        private Thread waiter;

        /** Starts the waiting thread. */
        @Setup(Level.Trial)
        public void start() {
            waiter = Thread.ofPlatform().daemon().start(this::waitLoop);
        }

        /** Takes the permit back and lets the waiter block again, outside the measurement. */
        @Setup(Level.Invocation)
        public void arm() {
            awaitArmed(() -> !go);
            semaphore.acquireUninterruptibly();
            woken = false;
            go = true;
            LockSupport.unpark(waiter);
            awaitArmed(() -> semaphore.hasQueuedThreads() && waiter.getState() == Thread.State.WAITING);
        }

        private void waitLoop() {
            while (!stop) {
                parkUntil(() -> go, () -> stop);
                if (stop) {
                    return;
                }
                semaphore.acquireUninterruptibly();
                woken = true;
                semaphore.release();
                go = false;
            }
        }

        /** Stops the waiting thread. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            LockSupport.unpark(waiter);
            semaphore.release(2);
            waiter.join(5_000);
        }
    }
}
