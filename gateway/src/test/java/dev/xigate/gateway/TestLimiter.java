package dev.xigate.gateway;

import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterListener;
import dev.xigate.limit.Permit;
import dev.xigate.limit.PoolSnapshot;
import dev.xigate.limit.RejectReason;
import dev.xigate.limit.Ticket;
import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, strict limiter for gateway tests: one fixed limit for every family, FIFO per priority, no timeouts.
 * It records every admission request and counts granted and released permits, so tests can prove no permit leaks.
 */
public final class TestLimiter implements Limiter {
    private final int limit;
    private final int queueCapacity;
    private final List<Deque<Entry>> queues = new ArrayList<>();
    private final List<AdmissionRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger granted = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger concurrencyRejections = new AtomicInteger();
    private final List<int[]> headers = new CopyOnWriteArrayList<>();
    private int inFlight;
    private boolean closed;

    /** Creates a limiter with this limit and queue capacity. */
    public TestLimiter(int limit, int queueCapacity) {
        this.limit = limit;
        this.queueCapacity = queueCapacity;
        for (int i = 0; i < 3; i++) {
            queues.add(new ArrayDeque<>());
        }
    }

    @Override
    public synchronized Ticket enqueue(AdmissionRequest request) {
        requests.add(request);
        Entry entry = new Entry(request);
        if (closed) {
            entry.future.complete(new Admission.Rejected(RejectReason.SHUTTING_DOWN, Duration.ofSeconds(1), "closed"));
            return entry;
        }
        if (inFlight < limit && queued() == 0) {
            grant(entry);
            return entry;
        }
        if (queued() >= queueCapacity) {
            entry.future.complete(new Admission.Rejected(RejectReason.QUEUE_FULL, Duration.ofSeconds(2),
                    "The queue is full"));
            return entry;
        }
        queues.get(Math.min(request.priority(), 2)).addLast(entry);
        return entry;
    }

    private synchronized void enqueueAtHead(Entry entry) {
        if (inFlight < limit) {
            grant(entry);
        } else {
            queues.get(Math.min(entry.request.priority(), 2)).addFirst(entry);
        }
    }

    private void grant(Entry entry) {
        inFlight++;
        granted.incrementAndGet();
        entry.future.complete(new Admission.Granted(new TestPermit(entry.request), Duration.ZERO));
    }

    private synchronized void slotFreed() {
        inFlight--;
        for (Deque<Entry> queue : queues) {
            Entry next = queue.pollFirst();
            if (next != null) {
                grant(next);
                return;
            }
        }
    }

    @Override
    public Admission acquire(AdmissionRequest request) throws InterruptedException {
        try {
            return enqueue(request).result().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized Permit tryAcquire(AdmissionRequest request) {
        return null;
    }

    @Override
    public synchronized PoolSnapshot snapshot(ModelFamily family) {
        throw new UnsupportedOperationException("snapshot");
    }

    @Override
    public void addListener(LimiterListener listener) {
    }

    @Override
    public void removeListener(LimiterListener listener) {
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Deque<Entry> queue : queues) {
            for (Entry entry : queue) {
                entry.future.complete(new Admission.Rejected(RejectReason.SHUTTING_DOWN, Duration.ofSeconds(1),
                        "The gateway is shutting down"));
            }
            queue.clear();
        }
    }

    /** Returns how many requests wait. */
    public synchronized int queued() {
        return queues.stream().mapToInt(Deque::size).sum();
    }

    /** Returns how many permits are out. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Returns every admission request seen. */
    public List<AdmissionRequest> requests() {
        return requests;
    }

    /** Returns how many tickets were cancelled while queued. */
    public int cancelled() {
        return cancelled.get();
    }

    /** Returns how many upstream concurrency 429s permits reported. */
    public int concurrencyRejections() {
        return concurrencyRejections.get();
    }

    /** Returns the (current, maximum) header pairs permits were fed. */
    public List<int[]> headers() {
        return headers;
    }

    /** Returns granted minus released: 0 when nothing leaked. */
    public int outstanding() {
        return granted.get() - released.get();
    }

    private final class Entry implements Ticket {
        final AdmissionRequest request;
        final CompletableFuture<Admission> future = new CompletableFuture<>();

        Entry(AdmissionRequest request) {
            this.request = request;
        }

        @Override
        public CompletableFuture<Admission> result() {
            return future;
        }

        @Override
        public boolean cancel() {
            synchronized (TestLimiter.this) {
                for (Deque<Entry> queue : queues) {
                    if (queue.remove(this)) {
                        cancelled.incrementAndGet();
                        future.cancel(false);
                        return true;
                    }
                }
                return false;
            }
        }

        @Override
        public int position() {
            synchronized (TestLimiter.this) {
                if (future.isDone()) {
                    return 0;
                }
                int position = 0;
                for (Deque<Entry> queue : queues) {
                    for (Entry entry : queue) {
                        position++;
                        if (entry == this) {
                            return position;
                        }
                    }
                }
                return position;
            }
        }

        @Override
        public Duration expectedWait() {
            return Duration.ZERO;
        }
    }

    private final class TestPermit implements Permit {
        private final AdmissionRequest request;
        private boolean done;

        TestPermit(AdmissionRequest request) {
            this.request = request;
        }

        @Override
        public ModelFamily family() {
            return request.family();
        }

        @Override
        public void release() {
            synchronized (TestLimiter.this) {
                if (done) {
                    return;
                }
                done = true;
                released.incrementAndGet();
            }
            slotFreed();
        }

        @Override
        public void close() {
            release();
        }

        @Override
        public Ticket requeueAtHead() {
            Entry entry = new Entry(request);
            synchronized (TestLimiter.this) {
                if (done) {
                    throw new IllegalStateException("permit already released");
                }
                done = true;
                released.incrementAndGet();
                inFlight--;
                enqueueAtHead(entry);
            }
            return entry;
        }

        @Override
        public void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent) {
            headers.add(new int[] {currentConcurrent, maximumConcurrent});
        }

        @Override
        public void onUpstreamConcurrencyRejected() {
            concurrencyRejections.incrementAndGet();
        }
    }
}
