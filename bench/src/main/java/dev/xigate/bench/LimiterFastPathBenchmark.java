package dev.xigate.bench;

import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.limit.Permit;
import dev.xigate.plan.ModelFamily;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Acquire then release when a permit is free, next to {@link Semaphore} in the same run. Run with {@code -prof gc}
 * to see the bytes allocated per operation. The contended variants share one limiter between 4 threads: with a
 * large limit they measure CAS contention, with a limit of 2 real queueing and hand-off.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LimiterFastPathBenchmark {

    /** One limiter and one semaphore shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"2", "1000"})
        int limit;
        Limiter limiter;
        Semaphore semaphore;
        AdmissionRequest request;

        @Setup
        public void setUp() {
            limiter = Limiter.inMemory(LimiterConfig.builder().limit(ModelFamily.TURBO_FLASH, limit)
                    .maxQueue(1_000).build());
            semaphore = new Semaphore(limit);
            request = AdmissionRequest.of(ModelFamily.TURBO_FLASH, 1, "bench", 0, "bench-1");
        }

        @TearDown
        public void tearDown() {
            limiter.close();
        }
    }

    /** Returns the semaphore baseline: acquire and release one permit. */
    @Benchmark
    public void semaphore(Shared shared) {
        shared.semaphore.acquireUninterruptibly();
        shared.semaphore.release();
    }

    /** Returns the limiter's fast path: {@code tryAcquire} then release. */
    @Benchmark
    public void limiterTryAcquire(Shared shared) {
        Permit permit = shared.limiter.tryAcquire(shared.request);
        permit.release();
    }

    /** Returns the limiter's full API: blocking {@code acquire} (a ticket and a future) then release. */
    @Benchmark
    public void limiterAcquire(Shared shared) throws InterruptedException {
        Admission admission = shared.limiter.acquire(shared.request);
        ((Admission.Granted) admission).permit().release();
    }

    /** Returns the semaphore baseline with 4 threads on one semaphore. */
    @Benchmark
    @Threads(4)
    public void contendedSemaphore(Shared shared) {
        shared.semaphore.acquireUninterruptibly();
        shared.semaphore.release();
    }

    /** Returns the limiter's blocking acquire and release with 4 threads on one pool. */
    @Benchmark
    @Threads(4)
    public void contendedLimiterAcquire(Shared shared) throws InterruptedException {
        Admission admission = shared.limiter.acquire(shared.request);
        ((Admission.Granted) admission).permit().release();
    }
}
