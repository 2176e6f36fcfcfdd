package dev.xigate.retry;

import dev.xigate.circuit.SlowStart;
import dev.xigate.error.ApiError;
import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.Permit;
import dev.xigate.limit.RejectReason;
import dev.xigate.limit.Ticket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Returns upstream slots from a {@link Limiter} for one request: the adapter that lets the {@link UpstreamExecutor}
 * run in-process on xigate's limiter (permit, head-of-queue requeue on 429, adaptive feedback), optionally behind
 * the {@link SlowStart} gate of a pool whose breaker just closed.
 *
 * <p>Limiter rejections become {@link SlotUnavailableException}s carrying the ElevenLabs-shaped error: 429
 * {@code rate_limit_error} with the reason's status word, or 503 for {@code shutting_down}. A wait that runs out
 * leaves the queue and gives back a permit granted at that moment. Thread-safe.
 */
public final class LimiterSlots implements UpstreamSlot.Source {
    private final Limiter limiter;
    private final AdmissionRequest request;
    private final SlowStart slowStart;
    private final LongSupplier nanoClock;

    /**
     * Creates a slot source for one request.
     *
     * @param limiter the limiter
     * @param request the request's admission data (family, priority, client, characters, id)
     * @param slowStart the ramp gate, or {@code null} for none
     * @param nanoClock a monotonic clock, to split the wait between queue and ramp gate
     */
    public LimiterSlots(Limiter limiter, AdmissionRequest request, SlowStart slowStart, LongSupplier nanoClock) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.request = Objects.requireNonNull(request, "request");
        this.slowStart = slowStart;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public UpstreamSlot acquire(Duration maxWait) throws SlotUnavailableException, InterruptedException {
        return awaitSlot(limiter.enqueue(request), maxWait);
    }

    /** Returns the error a limiter rejection is answered with. */
    public static ApiError errorFor(RejectReason reason, String message) {
        boolean shuttingDown = reason == RejectReason.SHUTTING_DOWN;
        return ApiError.of(shuttingDown ? 503 : 429, shuttingDown ? "service_unavailable" : "rate_limit_error",
                reason.status(), message);
    }

    private UpstreamSlot awaitSlot(Ticket ticket, Duration maxWait)
            throws SlotUnavailableException, InterruptedException {
        long startNanos = nanoClock.getAsLong();
        Permit permit = awaitPermit(ticket, maxWait);
        if (slowStart == null) {
            return new PermitSlot(permit, null);
        }
        Duration left = maxWait.minusNanos(nanoClock.getAsLong() - startNanos);
        SlowStart.Slot ramp;
        try {
            ramp = slowStart.enter(request.family(), limiter.snapshot(request.family()).limit(),
                    left.isNegative() ? Duration.ZERO : left);
        } catch (InterruptedException interrupted) {
            permit.release();
            throw interrupted;
        }
        if (ramp == null) {
            permit.release();
            throw new SlotUnavailableException(errorFor(RejectReason.QUEUE_TIMEOUT, "The " + request.family().label()
                    + " pool is ramping up after an outage and had no slot within the wait"), Duration.ofSeconds(1));
        }
        return new PermitSlot(permit, ramp);
    }

    private static Permit awaitPermit(Ticket ticket, Duration maxWait)
            throws SlotUnavailableException, InterruptedException {
        Admission admission;
        try {
            admission = ticket.result().get(Math.max(0, maxWait.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException expired) {
            leave(ticket);
            throw new SlotUnavailableException(errorFor(RejectReason.QUEUE_TIMEOUT,
                    "No upstream slot within the request's deadline"), Duration.ofSeconds(1));
        } catch (InterruptedException interrupted) {
            leave(ticket);
            throw interrupted;
        } catch (ExecutionException failure) {
            throw new IllegalStateException("limiter failed: " + failure.getCause(), failure.getCause());
        }
        return switch (admission) {
            case Admission.Granted granted -> granted.permit();
            case Admission.Rejected rejected -> throw new SlotUnavailableException(
                    errorFor(rejected.reason(), rejected.message()), rejected.retryAfter());
        };
    }

    private static void leave(Ticket ticket) {
        if (!ticket.cancel() && ticket.result().getNow(null) instanceof Admission.Granted late) {
            late.permit().release();
        }
    }

    /** A limiter permit seen as an upstream slot. */
    private final class PermitSlot implements UpstreamSlot {
        private final Permit permit;
        private final SlowStart.Slot ramp;

        private PermitSlot(Permit permit, SlowStart.Slot ramp) {
            this.permit = permit;
            this.ramp = ramp;
        }

        @Override
        public void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent) {
            permit.onUpstreamHeaders(currentConcurrent, maximumConcurrent);
        }

        @Override
        public void onConcurrencyRejected() {
            permit.onUpstreamConcurrencyRejected();
        }

        @Override
        public Requeue requeueAtHead() {
            closeRamp();
            Ticket ticket = permit.requeueAtHead();
            return new Requeue() {
                @Override
                public UpstreamSlot await(Duration maxWait) throws SlotUnavailableException, InterruptedException {
                    return awaitSlot(ticket, maxWait);
                }

                @Override
                public void cancel() {
                    leave(ticket);
                }
            };
        }

        @Override
        public void release() {
            closeRamp();
            permit.release();
        }

        private void closeRamp() {
            if (ramp != null) {
                ramp.close();
            }
        }
    }
}
