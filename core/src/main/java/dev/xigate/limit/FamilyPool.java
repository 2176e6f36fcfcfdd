package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of one model family and the priority queue in front of it. See {@link DefaultLimiter} for the rules.
 *
 * <p>Concurrency: the permit count lives in the {@link PermitStore} (atomic); everything else is guarded by
 * {@link #lock}. The fast path (no one queued, no rate policy) takes a permit with one CAS and no lock. A releaser
 * decrements the count, then reads {@link #queuedCount}; an enqueuer increments {@link #queuedCount}, then tries
 * the count: with both variables volatile, at least one of them sees the other, so a waiter is never stranded next
 * to a free slot.
 */
final class FamilyPool {
    private static final Logger logger = LoggerFactory.getLogger(FamilyPool.class);
    private static final long DEFAULT_HOLD_NANOS = 1_000_000_000L;
    private static final long NONE = Long.MAX_VALUE;

    private final DefaultLimiter limiter;
    private final ModelFamily family;
    private final PoolConfig config;
    private final PermitStore store;
    private final LongSupplier clock;
    private final long maxWaitNanos;
    private final long agingNanos;
    private final long probeNanos;
    private final long sharedUsageHalfWindowNanos;
    private final boolean adaptive;
    private final boolean needsRateCheck;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityLevel[] levels;
    private final LockedAction dispatchAction = this::dispatchLocked;

    // Written under lock, read without it by the fast path and the releasers.
    private volatile int queuedCount;
    private volatile int limit;
    private volatile int ceiling;
    // Racy exponentially weighted average: a lost update only makes the estimate a little older.
    private volatile long averageHoldNanos = DEFAULT_HOLD_NANOS;

    // Guarded by lock.
    private Waiter deadlineHead;
    private Waiter deadlineTail;
    private long nextAgingAtNanos = NONE;
    private long nextRateAtNanos = NONE;
    private long quietSinceNanos;
    private LimiterScheduler.ScheduledTask timer;
    private long timerAtNanos = NONE;
    // The largest share of the account seen in use by others, in two half-window buckets (a sliding maximum).
    private int othersInBucket;
    private int othersInPreviousBucket;
    private long othersBucketStartNanos;

    FamilyPool(DefaultLimiter limiter, ModelFamily family, LimiterConfig config, PermitStore store) {
        this.limiter = limiter;
        this.family = family;
        this.config = config.pool(family);
        this.store = store;
        this.clock = config.nanoClock();
        this.maxWaitNanos = Durations.toNanos(this.config.maxWait());
        this.agingNanos = Durations.toNanos(config.agingInterval());
        this.probeNanos = Durations.toNanos(config.probeInterval());
        this.sharedUsageHalfWindowNanos = Durations.toNanos(config.sharedUsageWindow()) / 2;
        this.adaptive = config.adaptive();
        this.needsRateCheck = !this.config.policies().isEmpty() || limiter.hasClientPolicies();
        this.levels = new PriorityLevel[config.priorityLevels()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new PriorityLevel(i);
        }
        this.limit = this.config.limit();
        this.ceiling = this.config.limit();
        this.quietSinceNanos = clock.getAsLong();
        this.othersBucketStartNanos = quietSinceNanos;
    }

    ModelFamily family() {
        return family;
    }

    PoolConfig config() {
        return config;
    }

    // ---- Admission

    Permit tryAcquire(AdmissionRequest request) {
        if (needsRateCheck || queuedCount != 0 || limiter.isClosed()) {
            return null;
        }
        long lease = store.tryAcquire(family, limit);
        if (lease == PermitStore.NO_LEASE) {
            return null;
        }
        PoolPermit permit = new PoolPermit(this, request, lease, PoolPermit.UNTIMED, store.inFlight(family));
        if (limiter.hasListeners()) {
            limiter.publish(new LimiterEvent.Admitted(family, request, Duration.ZERO));
        }
        return permit;
    }

    Ticket enqueue(AdmissionRequest request) {
        Permit permit = tryAcquire(request);
        if (permit != null) {
            Waiter done = new Waiter(this, request, List.of(), 0, true);
            done.pending = new Admission.Granted(permit, Duration.ZERO);
            done.deliver();
            return done;
        }
        Outbox outbox = new Outbox(limiter);
        Waiter waiter;
        lock.lock();
        try {
            waiter = enqueueLocked(request, clock.getAsLong(), outbox);
        } finally {
            lock.unlock();
        }
        outbox.flush();
        return waiter;
    }

    private Waiter enqueueLocked(AdmissionRequest request, long now, Outbox outbox) {
        List<RateCharge> charges = needsRateCheck ? limiter.chargesFor(this, request) : List.of();
        Waiter waiter = new Waiter(this, request, charges, now, false);
        Admission.Rejected refusal = refusalLocked(waiter, now);
        if (refusal != null) {
            waiter.pending = refusal;
            outbox.deliver(waiter);
            return waiter;
        }
        if (queuedCount == 0 && grantLocked(waiter, now, outbox)) {
            return waiter;
        }
        if (queuedCount >= config.maxQueue()) {
            waiter.pending = reject(RejectReason.QUEUE_FULL, estimateNanos(queuedCount + 1), "queue of "
                    + family.label() + " is full: " + queuedCount + " of " + config.maxQueue() + " waiting, " + limit
                    + " in flight allowed");
            outbox.deliver(waiter);
            return waiter;
        }
        linkLocked(waiter, levelOf(request), false, now);
        dispatchLocked(now, outbox);
        armTimerLocked(now);
        return waiter;
    }

    /** Returns the refusal a new request gets before queueing, or null when it may wait. */
    private Admission.Rejected refusalLocked(Waiter waiter, long now) {
        if (limiter.isClosed()) {
            return reject(RejectReason.SHUTTING_DOWN, DEFAULT_HOLD_NANOS, "the limiter is shutting down");
        }
        if (config.limit() == 0) {
            return new Admission.Rejected(RejectReason.FAMILY_UNAVAILABLE, Duration.ZERO, "model family "
                    + family.label() + " is not available on this plan (concurrency limit 0)");
        }
        if (waiter.charges.isEmpty()) {
            return null;
        }
        RateWait wait = store.probe(waiter.charges, now);
        if (wait.nanos() <= maxWaitNanos) {
            return null;
        }
        RateCharge charge = waiter.charges.get(wait.blockingIndex());
        String when = wait.nanos() == RateState.NEVER ? "never (the request alone exceeds it)"
                : "in " + Durations.format(Duration.ofNanos(wait.nanos()));
        String message = rateSubject(charge) + " exhausted (" + charge.policy().describe() + "): request "
                + waiter.request.requestId() + " could pass " + when + ", beyond the maximum wait of "
                + Durations.format(config.maxWait());
        return rateRefusal(charge, wait, message);
    }

    /** Returns a rate refusal; one that can never pass gets no Retry-After, since retrying cannot help. */
    private static Admission.Rejected rateRefusal(RateCharge charge, RateWait wait, String message) {
        if (wait.nanos() == RateState.NEVER) {
            return new Admission.Rejected(charge.policy().rejectReason(), Duration.ZERO, message);
        }
        return reject(charge.policy().rejectReason(), wait.nanos(), message);
    }

    private static String rateSubject(RateCharge charge) {
        String kind = charge.policy() instanceof RatePolicy.CharacterBudget ? "character budget" : "rate limit";
        String key = charge.key();
        return kind + " of " + key.substring(0, key.lastIndexOf(':')).replace(':', ' ');
    }

    private static Admission.Rejected reject(RejectReason reason, long retryNanos, String message) {
        return new Admission.Rejected(reason, Durations.retryAfter(retryNanos), message);
    }

    /** Grants the waiter a permit if a slot is free and its rate policies pass; returns whether it did. */
    private boolean grantLocked(Waiter waiter, long now, Outbox outbox) {
        if (waiter.needsRate() && !store.probe(waiter.charges, now).isReady()) {
            return false;
        }
        long lease = store.tryAcquire(family, limit);
        if (lease == PermitStore.NO_LEASE) {
            return false;
        }
        if (waiter.needsRate() && !store.tryConsume(waiter.charges, now)) {
            // Another pool consumed the shared client state between the probe and now.
            store.release(family, lease);
            return false;
        }
        PoolPermit permit = new PoolPermit(this, waiter.request, lease, now, store.inFlight(family));
        waiter.pending = new Admission.Granted(permit, Duration.ofNanos(Math.max(0, now - waiter.enqueuedAtNanos)));
        outbox.deliver(waiter);
        return true;
    }

    private int levelOf(AdmissionRequest request) {
        return Math.min(request.priority(), levels.length - 1);
    }

    // ---- Queue structure

    private void linkLocked(Waiter waiter, int level, boolean atHead, long now) {
        if (atHead) {
            levels[level].addFirst(waiter);
        } else {
            levels[level].addLast(waiter);
        }
        waiter.levelEnteredAtNanos = now;
        waiter.deadlineNanos = saturatedAdd(now, maxWaitNanos);
        waiter.deadlinePrev = deadlineTail;
        if (deadlineTail == null) {
            deadlineHead = waiter;
        } else {
            deadlineTail.deadlineNext = waiter;
        }
        deadlineTail = waiter;
        waiter.queued = true;
        queuedCount++;
        if (level > 0 && agingNanos > 0) {
            nextAgingAtNanos = Math.min(nextAgingAtNanos, saturatedAdd(now, agingNanos));
        }
    }

    private void unlinkLocked(Waiter waiter, boolean served) {
        levels[waiter.level].remove(waiter, served);
        if (waiter.deadlinePrev == null) {
            deadlineHead = waiter.deadlineNext;
        } else {
            waiter.deadlinePrev.deadlineNext = waiter.deadlineNext;
        }
        if (waiter.deadlineNext == null) {
            deadlineTail = waiter.deadlinePrev;
        } else {
            waiter.deadlineNext.deadlinePrev = waiter.deadlinePrev;
        }
        waiter.deadlinePrev = null;
        waiter.deadlineNext = null;
        waiter.queued = false;
        queuedCount--;
    }

    // ---- Dispatch: aging, grants, expiry

    private void dispatchLocked(long now, Outbox outbox) {
        if (now >= nextAgingAtNanos) {
            promoteLocked(now);
        }
        probeLocked(now, outbox);
        nextRateAtNanos = NONE;
        while (queuedCount > 0 && store.inFlight(family) < limit) {
            Waiter next = selectLocked(now);
            if (next == null || !grantLocked(next, now, outbox)) {
                break;
            }
            unlinkLocked(next, true);
        }
        expireLocked(now, outbox);
    }

    /** Returns the next waiter to serve: highest level first, round-robin over clients, skipping rate-held ones. */
    private Waiter selectLocked(long now) {
        for (PriorityLevel level : levels) {
            ClientQueue client = level.cursor;
            for (int i = level.clientCount(); i > 0; i--) {
                Waiter head = client.head;
                if (!head.needsRate()) {
                    level.cursor = client;
                    return head;
                }
                RateWait wait = store.probe(head.charges, now);
                if (wait.isReady()) {
                    level.cursor = client;
                    return head;
                }
                nextRateAtNanos = Math.min(nextRateAtNanos, saturatedAdd(now, wait.nanos()));
                client = client.ringNext;
            }
        }
        return null;
    }

    /** Moves every waiter that has waited an aging interval at its level up one level. */
    private void promoteLocked(long now) {
        long next = NONE;
        for (int index = 1; index < levels.length; index++) {
            PriorityLevel level = levels[index];
            ClientQueue client = level.cursor;
            for (int i = level.clientCount(); i > 0; i--) {
                ClientQueue following = client.ringNext;
                next = Math.min(next, promoteClientLocked(client, levels[index - 1], now));
                client = following;
            }
        }
        nextAgingAtNanos = next;
    }

    /** Promotes the client's due waiters; returns when the next promotion of this client is due, or NONE. */
    private long promoteClientLocked(ClientQueue client, PriorityLevel upper, long now) {
        boolean promoted = false;
        while (client.head != null && now - client.head.levelEnteredAtNanos >= agingNanos) {
            Waiter waiter = client.head;
            client.level.remove(waiter, false);
            upper.addLast(waiter);
            waiter.levelEnteredAtNanos = now;
            promoted = true;
        }
        long due = client.head == null ? NONE : saturatedAdd(client.head.levelEnteredAtNanos, agingNanos);
        // A waiter that moved to a level that is still not the top one ages again from now.
        return promoted && upper.index > 0 ? Math.min(due, saturatedAdd(now, agingNanos)) : due;
    }

    private void expireLocked(long now, Outbox outbox) {
        while (deadlineHead != null && deadlineHead.deadlineNanos <= now) {
            Waiter waiter = deadlineHead;
            int position = positionOfLocked(waiter);
            unlinkLocked(waiter, false);
            waiter.pending = timeoutLocked(waiter, position, now);
            outbox.deliver(waiter);
        }
    }

    /** Returns the refusal of an expired waiter: the rate policy that still holds it, else the queue timeout. */
    private Admission.Rejected timeoutLocked(Waiter waiter, int position, long now) {
        String waited = "request " + waiter.request.requestId() + " waited " + Durations.format(config.maxWait())
                + " for " + family.label();
        if (waiter.needsRate()) {
            RateWait wait = store.probe(waiter.charges, now);
            if (!wait.isReady()) {
                RateCharge charge = waiter.charges.get(wait.blockingIndex());
                return rateRefusal(charge, wait, waited + "; the " + rateSubject(charge) + " ("
                        + charge.policy().describe() + ") still holds it back");
            }
        }
        return reject(RejectReason.QUEUE_TIMEOUT, estimateNanos(position), waited + " without a free slot (position "
                + position + ", " + limit + " in flight allowed)");
    }

    // ---- Timer

    private void armTimerLocked(long now) {
        if (limiter.isClosed()) {
            return;
        }
        long wake = NONE;
        if (deadlineHead != null) {
            wake = Math.min(deadlineHead.deadlineNanos, nextRateAtNanos);
            if (queuedCount > 0) {
                wake = Math.min(wake, nextAgingAtNanos);
            }
        }
        if (adaptive && limit < ceiling) {
            wake = Math.min(wake, saturatedAdd(quietSinceNanos, probeNanos));
        }
        if (wake == NONE || (timer != null && timerAtNanos <= wake)) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAtNanos = wake;
        timer = limiter.scheduler().schedule(this::onTimer, Math.max(0, wake - now));
    }

    private void onTimer() {
        Outbox outbox = new Outbox(limiter);
        lock.lock();
        try {
            timer = null;
            timerAtNanos = NONE;
            long now = clock.getAsLong();
            dispatchLocked(now, outbox);
            armTimerLocked(now);
        } finally {
            lock.unlock();
        }
        outbox.flush();
    }

    // ---- Release, cancel, requeue

    void release(PoolPermit permit) {
        store.release(family, permit.leaseId);
        if (permit.acquiredAtNanos != PoolPermit.UNTIMED) {
            recordHold(clock.getAsLong() - permit.acquiredAtNanos);
        }
        // Read after the store's decrement: see the class comment for why no waiter is stranded.
        if (queuedCount > 0 || (adaptive && limit < ceiling)) {
            boolean handedOver = runLocked(dispatchAction);
            if (handedOver && Thread.currentThread().isVirtual()) {
                // Unparking a virtual thread from a virtual thread queues it on this carrier behind us: the waiter
                // would start its upstream call only after our caller's remaining work (finishing a response,
                // logging), hundreds of microseconds during which the slot stays idle. Yielding runs it first.
                Thread.yield();
            }
        }
    }

    void onCancelled(Waiter waiter) {
        if (!waiter.queued) {
            return;
        }
        Outbox outbox = new Outbox(limiter);
        lock.lock();
        try {
            if (waiter.queued) {
                unlinkLocked(waiter, false);
                long now = clock.getAsLong();
                outbox.event(new LimiterEvent.Cancelled(family, waiter.request,
                        Duration.ofNanos(Math.max(0, now - waiter.enqueuedAtNanos))));
                // A rate-held head may have hidden waiters behind it that can go now.
                dispatchLocked(now, outbox);
            }
        } finally {
            lock.unlock();
        }
        outbox.flush();
    }

    Ticket requeueAtHead(PoolPermit permit) {
        // Queue first, then free the slot: the fast path sees a waiter and cannot take the slot away.
        return enqueueAtHead(permit.request, () -> store.release(family, permit.leaseId));
    }

    Ticket enqueueAtHead(AdmissionRequest request) {
        return enqueueAtHead(request, () -> { });
    }

    /** Queues a request that already had its turn at the head of its level; runs afterLinking under the lock. */
    private Ticket enqueueAtHead(AdmissionRequest request, Runnable afterLinking) {
        Outbox outbox = new Outbox(limiter);
        Waiter waiter;
        lock.lock();
        try {
            long now = clock.getAsLong();
            // Charged already: rate policies counted this request on its first turn.
            waiter = new Waiter(this, request, List.of(), now, true);
            if (limiter.isClosed()) {
                waiter.pending = reject(RejectReason.SHUTTING_DOWN, DEFAULT_HOLD_NANOS, "the limiter is shutting down");
                outbox.deliver(waiter);
            } else {
                linkLocked(waiter, levelOf(request), true, now);
            }
            afterLinking.run();
            dispatchLocked(now, outbox);
            armTimerLocked(now);
        } finally {
            lock.unlock();
        }
        outbox.flush();
        return waiter;
    }

    void close() {
        Outbox outbox = new Outbox(limiter);
        lock.lock();
        try {
            while (deadlineHead != null) {
                Waiter waiter = deadlineHead;
                unlinkLocked(waiter, false);
                waiter.pending = reject(RejectReason.SHUTTING_DOWN, DEFAULT_HOLD_NANOS,
                        "the limiter is shutting down");
                outbox.deliver(waiter);
            }
            if (timer != null) {
                timer.cancel();
                timer = null;
                timerAtNanos = NONE;
            }
        } finally {
            lock.unlock();
        }
        outbox.flush();
    }

    /** Runs the action under the lock, then flushes; returns whether the flush completed a waiter's future. */
    private boolean runLocked(LockedAction action) {
        Outbox outbox = new Outbox(limiter);
        lock.lock();
        try {
            long now = clock.getAsLong();
            action.run(now, outbox);
            armTimerLocked(now);
        } finally {
            lock.unlock();
        }
        return outbox.flush();
    }

    /** An action run under the pool's lock. */
    @FunctionalInterface
    private interface LockedAction {
        void run(long now, Outbox outbox);
    }

    // ---- Adaptive limit

    /**
     * Adjusts the limit to one response's headers. {@code inFlightAtGrant} is our in-flight count when the answering
     * request got its permit: the upstream counts {@code current} when it admits the request, so comparing it with
     * our count now would read every one of ours that finished since as another client's slot (a burst winding down
     * would shrink the pool to nothing for the whole shared usage window).
     */
    void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent, int inFlightAtGrant) {
        if (!adaptive || maximumConcurrent <= 0) {
            return;
        }
        runLocked((now, outbox) -> {
            quietSinceNanos = now;
            ceiling = maximumConcurrent;
            // Each term is a lower bound on our share of current. In-flight now: ours still on their way upstream
            // are in it, not in current. In-flight plus the waiters about to take a slot: a release gives its slot
            // back to the store before the next waiter is granted under this lock, so in-flight can dip for a
            // moment while requests wait. In-flight at grant: the count when the upstream took its own count, give
            // or take the requests granted or finished in the moment between (an undercount of others there is what
            // the 429 path is for).
            int inFlight = store.inFlight(family);
            int ours = Math.max(Math.max(inFlight, inFlightAtGrant), Math.min(limit, inFlight + queuedCount));
            int observed = currentConcurrent < 0 ? 0 : Math.max(0, currentConcurrent - ours);
            int others = rememberOthersLocked(now, observed);
            setLimitLocked(Math.max(1, maximumConcurrent - others), LimitChangeCause.UPSTREAM_HEADERS, outbox);
            dispatchLocked(now, outbox);
        });
    }

    void onUpstreamConcurrencyRejected() {
        if (!adaptive) {
            return;
        }
        runLocked((now, outbox) -> {
            quietSinceNanos = now;
            int shrunk = Math.max(1, Math.min(limit, store.inFlight(family) - 1));
            setLimitLocked(shrunk, LimitChangeCause.UPSTREAM_REJECTED, outbox);
        });
    }

    /** Records one observation of the others' usage and returns the largest seen within the shared usage window. */
    private int rememberOthersLocked(long now, int observed) {
        if (sharedUsageHalfWindowNanos == 0) {
            return observed;
        }
        long elapsed = now - othersBucketStartNanos;
        if (elapsed >= sharedUsageHalfWindowNanos) {
            othersInPreviousBucket = elapsed >= 2 * sharedUsageHalfWindowNanos ? 0 : othersInBucket;
            othersInBucket = 0;
            othersBucketStartNanos = now;
        }
        othersInBucket = Math.max(othersInBucket, observed);
        return Math.max(othersInBucket, othersInPreviousBucket);
    }

    /** Grows a shrunk limit by one after a probe interval without 429s and without headers. */
    private void probeLocked(long now, Outbox outbox) {
        if (adaptive && limit < ceiling && now - quietSinceNanos >= probeNanos) {
            quietSinceNanos = now;
            setLimitLocked(limit + 1, LimitChangeCause.PROBE, outbox);
        }
    }

    private void setLimitLocked(int newLimit, LimitChangeCause cause, Outbox outbox) {
        int old = limit;
        if (newLimit == old) {
            return;
        }
        limit = newLimit;
        quietSinceNanos = clock.getAsLong();
        logger.debug("- Limit changed family={} old={} new={} cause={}", family.label(), old, newLimit, cause.label());
        outbox.event(new LimiterEvent.LimitChanged(family, old, newLimit, cause));
    }

    // ---- Estimates and snapshots

    private void recordHold(long holdNanos) {
        long average = averageHoldNanos;
        averageHoldNanos = average + (Math.max(0, holdNanos) - average) / 8;
    }

    private long estimateNanos(int position) {
        return position * averageHoldNanos / Math.max(1, limit);
    }

    Duration expectedWait(int position) {
        return Duration.ofNanos(estimateNanos(position));
    }

    int positionOf(Waiter waiter) {
        lock.lock();
        try {
            return waiter.queued ? positionOfLocked(waiter) : 0;
        } finally {
            lock.unlock();
        }
    }

    /** Returns 1 + the waiters served before this one if nothing else arrives (all higher levels, then round-robin). */
    private int positionOfLocked(Waiter waiter) {
        int ahead = 0;
        for (int i = 0; i < waiter.level; i++) {
            ahead += levels[i].waiting;
        }
        PriorityLevel level = levels[waiter.level];
        ClientQueue own = waiter.owner;
        int index = own.indexOf(waiter);
        ahead += index;
        boolean beforeOwn = true;
        ClientQueue client = level.cursor;
        for (int i = level.clientCount(); i > 0; i--) {
            if (client == own) {
                beforeOwn = false;
            } else {
                ahead += Math.min(client.size, beforeOwn ? index + 1 : index);
            }
            client = client.ringNext;
        }
        return ahead + 1;
    }

    PoolSnapshot snapshot() {
        lock.lock();
        try {
            List<Integer> byLevel = new ArrayList<>(levels.length);
            for (PriorityLevel level : levels) {
                byLevel.add(level.waiting);
            }
            return new PoolSnapshot(family, limit, config.limit(), ceiling, store.inFlight(family), queuedCount,
                    byLevel, config.maxQueue(), config.maxWait(), Duration.ofNanos(averageHoldNanos));
        } finally {
            lock.unlock();
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? NONE : sum;
    }
}
