package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard {@link Limiter}: one pool per model family, a bounded priority queue in front of each, rate policies
 * checked in the same queue, and adaptive limits. Thread-safe.
 *
 * <h2>Queue order</h2>
 * A request that finds a free slot, an empty queue and no rate policy takes a permit at once (one CAS, no lock).
 * Otherwise it joins level {@code min(priority, levels - 1)} of its family's queue, or is refused at once when the
 * queue holds {@code maxQueue} requests ({@code QUEUE_FULL}) or when a rate policy could not pass it within the
 * maximum wait ({@code RATE_LIMITED} / {@code CHARACTER_BUDGET}). When a slot frees (release, limit growth, rate
 * refill, cancellation), the next waiter is chosen so:
 * <ol>
 *   <li>the highest non-empty level first (0 is the highest);</li>
 *   <li>within a level, clients take turns (round-robin over client names), and each client's requests are FIFO;</li>
 *   <li>a client whose first request is held by a rate policy is skipped for this turn, so it does not block
 *   others.</li>
 * </ol>
 * <b>Aging:</b> a request that has waited {@code agingInterval} at its level moves up one level (to the tail of its
 * client's FIFO there), so low priority is never starved: after {@code priority * agingInterval} it competes at the
 * top level. <b>Expiry:</b> a request still waiting after {@code maxWait} is refused with {@code QUEUE_TIMEOUT}.
 * One timer per pool, armed at the earliest of the oldest deadline, the next aging step, the next rate refill and
 * the next probe, drives these without a thread per waiter.
 *
 * <h2>Adaptive limit</h2>
 * Each pool has a <em>limit</em> (what it admits now) and a <em>ceiling</em> (what it may grow back to), both
 * starting at the configured limit. The permit holder reports the upstream's answer:
 * <ul>
 *   <li><b>headers</b> {@code current}, {@code maximum} (maximum present): ceiling = maximum (higher than configured
 *   is used, lower shrinks at once); observed = max(0, current - our permits in flight), a lower bound of what
 *   other users of the account hold (our requests still on their way upstream count in flight but not in current);
 *   others = the largest observed within {@code sharedUsageWindow}; limit = max(1, maximum - others), leaving
 *   what the others hold to them.</li>
 *   <li><b>429 concurrency</b>: limit = max(1, min(limit, in flight - 1)).</li>
 *   <li><b>probe</b>: when the limit is below the ceiling and neither a 429 nor headers were seen for
 *   {@code probeInterval} since the last change, the limit grows by one; then again after another interval.</li>
 * </ul>
 * States: <em>at ceiling</em> (limit = ceiling), <em>shrunk</em> (limit &lt; ceiling, probing), and the ceiling
 * itself is either <em>configured</em> or <em>learned</em> from headers. Permits above a shrunk limit finish
 * normally; no new one is granted until in-flight falls below the limit.
 *
 * <h2>Permits</h2>
 * A permit is released exactly once however often {@link Permit#release()} is called; a permit granted to a ticket
 * cancelled at the same moment is released by the limiter. Futures are completed and listeners called outside the
 * pool locks.
 */
final class DefaultLimiter implements Limiter {
    private static final Logger logger = LoggerFactory.getLogger(DefaultLimiter.class);

    private final LimiterConfig config;
    private final PermitStore store;
    private final FamilyPool[] pools;
    private final List<LimiterListener> listeners = new CopyOnWriteArrayList<>();
    private final boolean clientPolicies;
    private volatile boolean closed;
    private volatile boolean anyListener;

    DefaultLimiter(LimiterConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(config.permitStore().get(), "permitStore");
        this.clientPolicies = !config.clientPolicies().isEmpty() || !config.clientOverrides().isEmpty();
        ModelFamily[] families = ModelFamily.values();
        this.pools = new FamilyPool[families.length];
        for (ModelFamily family : families) {
            pools[family.ordinal()] = new FamilyPool(this, family, config, store);
        }
    }

    @Override
    public Ticket enqueue(AdmissionRequest request) {
        Objects.requireNonNull(request, "request");
        return pool(request.family()).enqueue(request);
    }

    @Override
    public Ticket enqueueAtHead(AdmissionRequest request) {
        Objects.requireNonNull(request, "request");
        return pool(request.family()).enqueueAtHead(request);
    }

    @Override
    public Admission acquire(AdmissionRequest request) throws InterruptedException {
        Objects.requireNonNull(request, "request");
        // Fast path without a ticket: no future to allocate when a slot is free.
        Permit permit = pool(request.family()).tryAcquire(request);
        if (permit != null) {
            return new Admission.Granted(permit, Duration.ZERO);
        }
        Ticket ticket = enqueue(request);
        try {
            return ticket.result().get();
        } catch (InterruptedException e) {
            if (!ticket.cancel() && ticket.result().getNow(null) instanceof Admission.Granted granted) {
                // Granted just as we were interrupted: nobody will use the permit.
                granted.permit().release();
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("admission of request " + request.requestId() + " failed", e.getCause());
        } catch (CancellationException e) {
            throw new CancellationException("admission of request " + request.requestId()
                    + " was cancelled by another thread");
        }
    }

    @Override
    public Permit tryAcquire(AdmissionRequest request) {
        return pool(request.family()).tryAcquire(request);
    }

    @Override
    public PoolSnapshot snapshot(ModelFamily family) {
        return pool(family).snapshot();
    }

    @Override
    public void addListener(LimiterListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        anyListener = true;
    }

    @Override
    public void removeListener(LimiterListener listener) {
        listeners.remove(listener);
        anyListener = !listeners.isEmpty();
    }

    @Override
    public void close() {
        closed = true;
        for (FamilyPool pool : pools) {
            pool.close();
        }
        store.close();
    }

    private FamilyPool pool(ModelFamily family) {
        return pools[family.ordinal()];
    }

    boolean isClosed() {
        return closed;
    }

    boolean hasListeners() {
        return anyListener;
    }

    boolean hasClientPolicies() {
        return clientPolicies;
    }

    LimiterScheduler scheduler() {
        return config.scheduler();
    }

    /** Returns the rate charges of a request: the pool's policies first, then the client's. */
    List<RateCharge> chargesFor(FamilyPool pool, AdmissionRequest request) {
        List<RatePolicy> poolPolicies = pool.config().policies();
        List<RatePolicy> ownPolicies = config.policiesOf(request.clientName());
        List<RateCharge> charges = new ArrayList<>(poolPolicies.size() + ownPolicies.size());
        for (int i = 0; i < poolPolicies.size(); i++) {
            RatePolicy policy = poolPolicies.get(i);
            charges.add(new RateCharge("pool:" + pool.family().label() + ":" + i, policy, policy.amountFor(request)));
        }
        for (int i = 0; i < ownPolicies.size(); i++) {
            RatePolicy policy = ownPolicies.get(i);
            charges.add(new RateCharge("client:" + request.clientName() + ":" + i, policy,
                    policy.amountFor(request)));
        }
        return charges;
    }

    void publishDecision(ModelFamily family, AdmissionRequest request, Admission admission) {
        if (!anyListener) {
            return;
        }
        switch (admission) {
            case Admission.Granted granted -> publish(new LimiterEvent.Admitted(family, request, granted.queueWait()));
            case Admission.Rejected rejected -> publish(new LimiterEvent.Rejected(family, request, rejected.reason(),
                    rejected.retryAfter(), rejected.message()));
        }
    }

    void publish(LimiterEvent event) {
        for (LimiterListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                // A broken listener must not break admission; say so once per failure at WARN.
                logger.warn("- Limiter listener failed listener={} event={}", listener.getClass().getName(),
                        event.getClass().getSimpleName(), e);
            }
        }
    }
}
