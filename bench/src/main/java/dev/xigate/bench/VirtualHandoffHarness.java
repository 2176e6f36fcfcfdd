package dev.xigate.bench;

import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.limit.Permit;
import dev.xigate.limit.Ticket;
import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Release-to-next-waiter hand-off between two virtual threads, the gateway's case: the releaser gives its permit
 * back, then does some work of its own (in the gateway: finishing the client's response and writing the access
 * log), while the waiter is blocked on its ticket. Measures, per round, the time from the release to the waiter
 * running again, and how much longer than its own work the releaser took (its cost of letting the waiter go first).
 *
 * <p>Side by side, interleaved in blocks: {@code limiter} (a pool of one permit) and {@code completableFuture}, the
 * same protocol with a plain future completed by the releaser: the limiter's wait is such a future, so the second
 * shows what a virtual-thread wake-up costs without the pool's hand-off yield.
 *
 * <p>Arguments: rounds per variant (default 20,000), the releaser's own work after the release in microseconds
 * (default 200). Prints one JSON object; {@code run-jmh.sh --main} stores it with the machine.
 */
public final class VirtualHandoffHarness {
    private static final AdmissionRequest REQUEST = AdmissionRequest.of(ModelFamily.MULTILINGUAL, 1, "bench", 0,
            "virtual-handoff");
    private static final int BLOCK = 1_000;

    private VirtualHandoffHarness() {
    }

    /** Runs both variants and prints the result as JSON. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long workNanos = TimeUnit.MICROSECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 200);
        List<Variant> variants = List.of(new LimiterVariant(), new FutureVariant());
        for (Variant variant : variants) {
            run(variant, rounds / 4, workNanos);
            variant.reset();
        }
        for (int done = 0; done < rounds; done += BLOCK) {
            for (Variant variant : variants) {
                run(variant, Math.min(BLOCK, rounds - done), workNanos);
            }
        }
        List<String> rows = new ArrayList<>();
        for (Variant variant : variants) {
            rows.add(variant.json());
        }
        System.out.println(String.format(Locale.ROOT, "{\"rounds\": %d, \"releaserWorkMicros\": %d,"
                + " \"carriers\": \"%s\", \"unit\": \"microseconds\", \"variants\": [%s]}", rounds,
                TimeUnit.NANOSECONDS.toMicros(workNanos),
                System.getProperty("jdk.virtualThreadScheduler.parallelism", "default (cores)"),
                String.join(", ", rows)));
    }

    private static void run(Variant variant, int rounds, long workNanos) throws InterruptedException {
        Thread waiter = Thread.ofVirtual().name("waiter").start(() -> variant.waitLoop(rounds));
        Thread releaser = Thread.ofVirtual().name("releaser").start(() -> variant.releaseLoop(rounds, waiter,
                workNanos));
        releaser.join();
        waiter.join();
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** One side-by-side variant: a waiter blocked on something the releaser completes. */
    private abstract static class Variant {
        final Histogram wake = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram releaserDelay = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        volatile boolean go;
        volatile boolean waiting;
        volatile boolean woken;
        volatile long releasedAtNanos;

        abstract String name();

        /** Takes what the waiter will then wait for; called by the releaser before the waiter is let go. */
        abstract void arm();

        /** Blocks the waiter until the releaser lets it through. */
        abstract void await();

        /** Gives back what the waiter was let through with, after its wake-up was timed. */
        void afterWake() {
        }

        /** Lets the waiter through. */
        abstract void release();

        void waitLoop(int rounds) {
            for (int i = 0; i < rounds; i++) {
                while (!go) {
                    LockSupport.park();
                }
                go = false;
                waiting = true;
                await();
                long now = System.nanoTime();
                wake.recordValue(Math.max(0, now - releasedAtNanos));
                afterWake();
                woken = true;
            }
        }

        void releaseLoop(int rounds, Thread waiter, long workNanos) {
            for (int i = 0; i < rounds; i++) {
                arm();
                waiting = false;
                woken = false;
                go = true;
                LockSupport.unpark(waiter);
                // Release only once the waiter is parked in its wait, as a queued request in the gateway is.
                while (!waiting || waiter.getState() != Thread.State.WAITING) {
                    Thread.yield();
                }
                long start = System.nanoTime();
                releasedAtNanos = start;
                release();
                spin(workNanos);
                releaserDelay.recordValue(Math.max(0, System.nanoTime() - start - workNanos));
                while (!woken) {
                    Thread.yield();
                }
            }
        }

        void reset() {
            wake.reset();
            releaserDelay.reset();
        }

        String json() {
            return String.format(Locale.ROOT, "{\"variant\": \"%s\", \"count\": %d, \"wakeP50\": %.1f,"
                    + " \"wakeP90\": %.1f, \"wakeP99\": %.1f, \"wakeMean\": %.1f, \"releaserDelayP50\": %.1f,"
                    + " \"releaserDelayP99\": %.1f}", name(), wake.getTotalCount(), micros(wake, 50),
                    micros(wake, 90), micros(wake, 99), wake.getMean() / 1_000.0, micros(releaserDelay, 50),
                    micros(releaserDelay, 99));
        }

        private static double micros(Histogram histogram, double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1_000.0;
        }
    }

    /** A pool of one permit: the releaser holds it, the waiter is queued for it. */
    private static final class LimiterVariant extends Variant {
        private final Limiter limiter = Limiter.inMemory(LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 1)
                .maxWait(Duration.ofMinutes(10)).adaptive(false).build());
        private volatile Permit held;
        private Permit granted;

        @Override
        String name() {
            return "limiter";
        }

        @Override
        void arm() {
            Permit permit = limiter.tryAcquire(REQUEST);
            while (permit == null) {
                // The waiter of the previous round is still giving its permit back.
                Thread.yield();
                permit = limiter.tryAcquire(REQUEST);
            }
            held = permit;
        }

        @Override
        void await() {
            Ticket ticket = limiter.enqueue(REQUEST);
            Admission admission = ticket.result().join();
            if (!(admission instanceof Admission.Granted grant)) {
                throw new IllegalStateException("the waiter was refused: " + admission);
            }
            granted = grant.permit();
        }

        @Override
        void afterWake() {
            // Given back at once: the next round's releaser takes it.
            granted.release();
        }

        @Override
        void release() {
            held.release();
        }
    }

    /** A plain future: what the limiter's wait is, without its release path. */
    private static final class FutureVariant extends Variant {
        private volatile CompletableFuture<Boolean> future;

        @Override
        String name() {
            return "completableFuture";
        }

        @Override
        void arm() {
            future = new CompletableFuture<>();
        }

        @Override
        void await() {
            future.join();
        }

        @Override
        void release() {
            future.complete(Boolean.TRUE);
        }
    }
}
