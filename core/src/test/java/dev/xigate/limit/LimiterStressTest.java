package dev.xigate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Future;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Many threads acquiring, releasing, timing out, cancelling, requeueing and shrinking the pool at random, on the real
 * clock and the real timer thread. Proves: the limit is never exceeded, no permit is lost, every ticket ends, and
 * FIFO order holds within one priority for one client.
 */
class LimiterStressTest {
    private static final ModelFamily FAMILY = ModelFamily.MULTILINGUAL;
    private static final int LIMIT = 4;
    private static final int THREADS = 8;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(4);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<RejectReason, LongAdder> rejections = new ConcurrentHashMap<>();
    private final LongAdder grants = new LongAdder();
    private final LongAdder cancels = new LongAdder();
    private final ConcurrentLinkedQueue<Ticket> tickets = new ConcurrentLinkedQueue<>();

    @Test
    void randomTrafficNeverExceedsLimitNorLosesPermits() throws Exception {
        randomTraffic(Executors.newFixedThreadPool(THREADS));
    }

    /** The gateway's threads: a release on a virtual thread that hands its slot over yields to the waiter. */
    @Test
    void randomTrafficOnVirtualThreadsNeverExceedsLimitNorLosesPermits() throws Exception {
        randomTraffic(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("virtual-", 0).factory()));
    }

    private void randomTraffic(ExecutorService workers) throws Exception {
        Limiter limiter = Limiter.inMemory(LimiterConfig.builder().limit(FAMILY, LIMIT).maxQueue(3)
                .maxWait(Duration.ofMillis(5)).agingInterval(Duration.ofMillis(2))
                .probeInterval(Duration.ofMillis(3)).build());
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 42L + t;
            futures.add(workers.submit(() -> worker(limiter, new SplittableRandom(seed), start + RUN_NANOS)));
        }
        LockSupport.parkNanos(RUN_NANOS - TimeUnit.MILLISECONDS.toNanos(300));
        limiter.close();
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        workers.shutdown();

        System.out.printf("stress: grants=%d cancels=%d rejections=%s maxInFlight=%d tickets=%d%n", grants.sum(),
                cancels.sum(), rejections, maxInFlight.get(), tickets.size());
        assertThat(maxInFlight.get()).isBetween(1, LIMIT);
        assertThat(inFlight.get()).isZero();
        PoolSnapshot pool = limiter.snapshot(FAMILY);
        assertThat(pool.inFlight()).isZero();
        assertThat(pool.queued()).isZero();
        assertThat(tickets).allSatisfy(ticket -> assertThat(ticket.result()).isDone());
        assertThat(grants.sum()).isGreaterThan(1_000);
        assertThat(cancels.sum()).isPositive();
        assertThat(rejections).containsKeys(RejectReason.QUEUE_FULL, RejectReason.QUEUE_TIMEOUT,
                RejectReason.SHUTTING_DOWN);
    }

    private void worker(Limiter limiter, SplittableRandom random, long endNanos) {
        int sequence = 0;
        while (System.nanoTime() < endNanos) {
            AdmissionRequest request = AdmissionRequest.of(FAMILY, random.nextInt(3), "c" + random.nextInt(4), 0,
                    Thread.currentThread().getName() + "-" + sequence++);
            if (random.nextInt(10) == 0) {
                Permit permit = limiter.tryAcquire(request);
                if (permit != null) {
                    grants.increment();
                    hold(permit, random, 0);
                }
                continue;
            }
            handle(limiter.enqueue(request), random, 0);
        }
    }

    private void handle(Ticket ticket, SplittableRandom random, int depth) {
        tickets.add(ticket);
        Admission admission = switch (random.nextInt(10)) {
            case 0 -> cancelAt(ticket, 0);
            case 1 -> cancelAt(ticket, random.nextLong(2_000_000));
            default -> await(ticket);
        };
        if (admission instanceof Admission.Granted granted) {
            grants.increment();
            hold(granted.permit(), random, depth);
        } else if (admission instanceof Admission.Rejected rejected) {
            rejections.computeIfAbsent(rejected.reason(), reason -> new LongAdder()).increment();
            // Back off like a client would, so that the threads keep the queue busy rather than spin on refusals.
            LockSupport.parkNanos(random.nextLong(200_000));
        }
    }

    /** Cancels after a delay; returns the admission when the ticket was decided first, or null when cancelled. */
    private Admission cancelAt(Ticket ticket, long delayNanos) {
        try {
            return ticket.result().get(delayNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (ticket.cancel()) {
                cancels.increment();
                return null;
            }
            return ticket.result().join();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Admission await(Ticket ticket) {
        try {
            return ticket.result().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ticket hung or failed", e);
        }
    }

    private void hold(Permit permit, SplittableRandom random, int depth) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        // Mostly short holds, sometimes one long enough for queued requests to time out behind it.
        LockSupport.parkNanos(random.nextInt(100) == 0 ? 10_000_000 : random.nextLong(50_000));
        inFlight.decrementAndGet();
        int choice = random.nextInt(20);
        if (choice == 0 && depth < 3) {
            permit.onUpstreamConcurrencyRejected();
            handle(permit.requeueAtHead(), random, depth + 1);
        } else if (choice == 1) {
            permit.release();
            permit.release();
        } else {
            permit.close();
        }
    }

    @Test
    void grantsInEnqueueOrderWithinOnePriorityForOneClient() throws Exception {
        Limiter limiter = Limiter.inMemory(LimiterConfig.builder().limit(FAMILY, 1).maxQueue(10_000)
                .maxWait(Duration.ofMillis(200)).agingInterval(Duration.ZERO).adaptive(false).build());
        ExecutorService releasers = Executors.newFixedThreadPool(3);
        ConcurrentLinkedQueue<Integer> grantedOrder = new ConcurrentLinkedQueue<>();
        List<Ticket> all = new ArrayList<>();
        AtomicLong lastCancel = new AtomicLong();
        int count = 4_000;
        CountDownLatch done = new CountDownLatch(count);
        Thread canceller = Thread.ofPlatform().start(() -> cancelRandomly(all, lastCancel, done));
        for (int i = 0; i < count; i++) {
            int id = i;
            Ticket ticket = limiter.enqueue(AdmissionRequest.of(FAMILY, 1, "one", 0, "r" + i));
            synchronized (all) {
                all.add(ticket);
            }
            ticket.result().whenComplete((admission, failure) -> {
                if (admission instanceof Admission.Granted granted) {
                    // With a limit of 1 the holder records before releasing, so the record order is the grant order.
                    grantedOrder.add(id);
                    releasers.execute(() -> {
                        LockSupport.parkNanos(1_000);
                        granted.permit().release();
                    });
                }
                done.countDown();
            });
            if (i % 50 == 0) {
                LockSupport.parkNanos(200_000);
            }
        }

        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        canceller.join();
        releasers.shutdown();
        assertThat(releasers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        List<Integer> order = new ArrayList<>(grantedOrder);
        assertThat(order).hasSizeGreaterThan(100).isSorted();
        assertThat(lastCancel.get()).isPositive();
        assertThat(limiter.snapshot(FAMILY).inFlight()).isZero();
        assertThat(limiter.snapshot(FAMILY).queued()).isZero();
        limiter.close();
    }

    private static void cancelRandomly(List<Ticket> all, AtomicLong cancelled, CountDownLatch done) {
        SplittableRandom random = new SplittableRandom(7);
        while (done.getCount() > 0) {
            Ticket victim = null;
            synchronized (all) {
                if (!all.isEmpty()) {
                    victim = all.get(random.nextInt(all.size()));
                }
            }
            if (victim != null && victim.cancel()) {
                cancelled.incrementAndGet();
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
