package dev.xigate.limit;

import static dev.xigate.limit.Tickets.permitOf;
import static dev.xigate.limit.Tickets.rejectionOf;
import static dev.xigate.limit.Tickets.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimiterQueueTest {
    private final ManualTime time = new ManualTime();
    private final List<LimiterEvent> events = new CopyOnWriteArrayList<>();
    private Limiter limiter;

    private Limiter limiter(LimiterConfig.Builder builder) {
        limiter = Limiter.inMemory(builder.nanoClock(time).scheduler(time).build());
        limiter.addListener(events::add);
        return limiter;
    }

    private static LimiterConfig.Builder oneSlot() {
        return LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 1).agingInterval(Duration.ZERO);
    }

    @AfterEach
    void closeLimiter() {
        if (limiter != null) {
            limiter.close();
        }
    }

    @Test
    void grantsAtOnceWhileSlotsAreFree() {
        limiter(LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 2));

        Ticket first = limiter.enqueue(request(1, "a", "r1"));
        Ticket second = limiter.enqueue(request(1, "a", "r2"));
        Ticket third = limiter.enqueue(request(1, "a", "r3"));

        assertThat(permitOf(first).family()).isEqualTo(ModelFamily.MULTILINGUAL);
        permitOf(second);
        assertThat(third.result()).isNotDone();
        assertThat(third.position()).isEqualTo(1);
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isEqualTo(2);
    }

    @Test
    void servesHigherPriorityFirst() {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(0, "a", "holder")));
        Ticket low = limiter.enqueue(request(2, "a", "low"));
        Ticket middle = limiter.enqueue(request(1, "a", "middle"));
        Ticket high = limiter.enqueue(request(0, "a", "high"));

        holder.release();

        assertThat(Tickets.requestIdOf(high)).isEqualTo("high");
        assertThat(middle.result()).isNotDone();
        assertThat(low.result()).isNotDone();
        assertThat(low.position()).isEqualTo(2);
        permitOf(high).release();
        assertThat(middle.result()).isCompleted();
        permitOf(middle).release();
        assertThat(low.result()).isCompleted();
    }

    @Test
    void keepsFifoOrderWithinOneLevel() {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tickets.add(limiter.enqueue(request(1, "a", "r" + i)));
        }

        List<String> order = new ArrayList<>();
        Permit current = holder;
        for (Ticket ticket : tickets) {
            current.release();
            order.add(Tickets.requestIdOf(ticket));
            current = permitOf(ticket);
        }

        assertThat(order).containsExactly("r0", "r1", "r2", "r3", "r4");
    }

    @Test
    void sharesLevelRoundRobinAcrossClients() {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(1, "x", "holder")));
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tickets.add(limiter.enqueue(request(1, "busy", "busy" + i)));
        }
        tickets.add(limiter.enqueue(request(1, "quiet", "quiet0")));
        tickets.add(limiter.enqueue(request(1, "other", "other0")));

        List<String> order = new ArrayList<>();
        holder.release();
        for (int i = 0; i < tickets.size(); i++) {
            Ticket granted = tickets.stream().filter(t -> t.result().isDone() && !isReleased(order, t))
                    .findFirst().orElseThrow();
            order.add(Tickets.requestIdOf(granted));
            permitOf(granted).release();
        }

        assertThat(order).containsExactly("busy0", "quiet0", "other0", "busy1", "busy2");
    }

    private static boolean isReleased(List<String> order, Ticket ticket) {
        return order.contains(Tickets.requestIdOf(ticket));
    }

    @Test
    void reportsPositionAcrossLevelsAndClients() {
        limiter(oneSlot());
        permitOf(limiter.enqueue(request(1, "x", "holder")));
        Ticket a0 = limiter.enqueue(request(1, "a", "a0"));
        Ticket a1 = limiter.enqueue(request(1, "a", "a1"));
        Ticket b0 = limiter.enqueue(request(1, "b", "b0"));
        Ticket urgent = limiter.enqueue(request(0, "c", "urgent"));

        assertThat(urgent.position()).isEqualTo(1);
        assertThat(a0.position()).isEqualTo(2);
        assertThat(b0.position()).isEqualTo(3);
        assertThat(a1.position()).isEqualTo(4);
        assertThat(a1.expectedWait()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void agingPromotesLowPriorityAheadOfNewcomers() {
        limiter(oneSlot().agingInterval(Duration.ofSeconds(5)).maxWait(Duration.ofMinutes(5)));
        Permit holder = permitOf(limiter.enqueue(request(0, "a", "holder")));
        Ticket low = limiter.enqueue(request(2, "a", "low"));

        time.advance(Duration.ofSeconds(10));
        Ticket lateHigh = limiter.enqueue(request(0, "b", "late-high"));

        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).queuedByPriority()).containsExactly(2, 0, 0);
        assertThat(low.position()).isEqualTo(1);
        holder.release();
        assertThat(Tickets.requestIdOf(low)).isEqualTo("low");
        assertThat(lateHigh.result()).isNotDone();
    }

    @Test
    void withoutAgingLowPriorityWaitsBehindHigh() {
        limiter(oneSlot().maxWait(Duration.ofMinutes(5)));
        Permit holder = permitOf(limiter.enqueue(request(0, "a", "holder")));
        Ticket low = limiter.enqueue(request(2, "a", "low"));

        time.advance(Duration.ofSeconds(60));
        Ticket high = limiter.enqueue(request(0, "b", "high"));
        holder.release();

        assertThat(Tickets.requestIdOf(high)).isEqualTo("high");
        assertThat(low.result()).isNotDone();
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).queuedByPriority()).containsExactly(0, 0, 1);
    }

    @Test
    void rejectsWhenQueueIsFull() {
        limiter(oneSlot().maxQueue(2));
        permitOf(limiter.enqueue(request(1, "a", "holder")));
        limiter.enqueue(request(1, "a", "w1"));
        limiter.enqueue(request(1, "a", "w2"));

        Admission.Rejected rejected = rejectionOf(limiter.enqueue(request(0, "a", "w3")));

        assertThat(rejected.reason()).isEqualTo(RejectReason.QUEUE_FULL);
        assertThat(rejected.reason().status()).isEqualTo("queue_full");
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(rejected.message()).contains("multilingual", "2 of 2 waiting");
        assertThat(rejected.toApiError().httpStatus()).isEqualTo(429);
        assertThat(rejected.toApiError().toJson("req-9")).contains("\"status\":\"queue_full\"",
                "\"type\":\"rate_limit_error\"", "\"request_id\":\"req-9\"");
        assertThat(events).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(LimiterEvent.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.QUEUE_FULL)));
    }

    @Test
    void rejectsWhenMaxWaitExpires() {
        limiter(oneSlot().maxWait(Duration.ofSeconds(30)));
        permitOf(limiter.enqueue(request(1, "a", "holder")));
        Ticket waiting = limiter.enqueue(request(1, "a", "late"));

        time.advance(Duration.ofSeconds(29));
        assertThat(waiting.result()).isNotDone();
        time.advance(Duration.ofSeconds(1));

        Admission.Rejected rejected = rejectionOf(waiting);
        assertThat(rejected.reason()).isEqualTo(RejectReason.QUEUE_TIMEOUT);
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(rejected.message()).contains("late", "waited 30s");
        assertThat(waiting.position()).isZero();
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).queued()).isZero();
    }

    @Test
    void zeroMaxWaitRefusesInsteadOfQueueing() {
        limiter(oneSlot().maxWait(Duration.ZERO));
        permitOf(limiter.enqueue(request(1, "a", "holder")));

        assertThat(rejectionOf(limiter.enqueue(request(1, "a", "r"))).reason()).isEqualTo(RejectReason.QUEUE_TIMEOUT);
    }

    @Test
    void cancelledTicketLeavesQueueAndNeverGetsPermit() {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        Ticket gone = limiter.enqueue(request(1, "a", "gone"));
        Ticket next = limiter.enqueue(request(1, "a", "next"));

        assertThat(gone.cancel()).isTrue();
        assertThat(next.position()).isEqualTo(1);
        holder.release();

        assertThat(gone.result()).isCancelled();
        assertThat(gone.position()).isZero();
        assertThat(Tickets.requestIdOf(next)).isEqualTo("next");
        assertThat(events).anySatisfy(event -> assertThat(event).isInstanceOf(LimiterEvent.Cancelled.class));
    }

    @Test
    void positionsStayExactThroughHeadInsertsMiddleCancelsAndGrants() {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        List<Ticket> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(limiter.enqueue(request(1, "a", "r" + i)));
        }
        Ticket retry = limiter.enqueueAtHead(request(1, "a", "retry"));
        assertThat(retry.position()).isEqualTo(1);
        assertThat(queued).extracting(Ticket::position).containsExactly(2, 3, 4, 5, 6);

        queued.get(2).cancel();
        assertThat(queued).extracting(Ticket::position).containsExactly(2, 3, 0, 4, 5);

        holder.release();
        assertThat(Tickets.requestIdOf(retry)).isEqualTo("retry");
        assertThat(queued).extracting(Ticket::position).containsExactly(1, 2, 0, 3, 4);
        Ticket late = limiter.enqueue(request(1, "a", "late"));
        assertThat(late.position()).isEqualTo(5);
    }

    @Test
    void permitGrantedToTicketCancelledMeanwhileIsReleased() {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        Ticket racing = limiter.enqueue(request(1, "a", "racing"));
        // The limit-change event is published after the grant is decided and before it is delivered: cancelling
        // there is the race of a client that goes away while its permit is on the way.
        limiter.addListener(event -> {
            if (event instanceof LimiterEvent.LimitChanged) {
                racing.cancel();
            }
        });

        holder.onUpstreamHeaders(1, 2);

        assertThat(racing.result()).isCancelled();
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isEqualTo(1);
        assertThat(events).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(LimiterEvent.Cancelled.class,
                cancelled -> assertThat(cancelled.request().requestId()).isEqualTo("racing")));
        holder.release();
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isZero();
    }

    @Test
    void cancellingTheFutureAlsoLeavesQueue() {
        limiter(oneSlot());
        permitOf(limiter.enqueue(request(1, "a", "holder")));
        Ticket gone = limiter.enqueue(request(1, "a", "gone"));

        gone.result().cancel(true);

        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).queued()).isZero();
    }

    @Test
    void cancelAfterGrantKeepsThePermitWithItsHolder() {
        limiter(oneSlot());
        Ticket ticket = limiter.enqueue(request(1, "a", "r"));

        assertThat(ticket.cancel()).isFalse();
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isEqualTo(1);
        permitOf(ticket).release();
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isZero();
    }

    @Test
    void callbacksReleasingAtOnceDoNotRecursePerQueuedRequest() {
        limiter(oneSlot().maxQueue(20_000));
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Ticket ticket = limiter.enqueue(request(1, "a", "r" + i));
            ticket.result().thenAccept(admission -> ((Admission.Granted) admission).permit().release());
            tickets.add(ticket);
        }

        holder.release();

        assertThat(tickets).allSatisfy(ticket -> assertThat(ticket.result()).isCompletedWithValueMatching(
                Admission.Granted.class::isInstance));
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isZero();
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).queued()).isZero();
    }

    @Test
    void releaseIsIdempotent() {
        limiter(LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 2));
        Permit first = permitOf(limiter.enqueue(request(1, "a", "r1")));
        permitOf(limiter.enqueue(request(1, "a", "r2")));

        first.release();
        first.release();
        first.close();

        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isEqualTo(1);
    }

    @Test
    void retryAfterBackoffQueuesAtTheHeadEvenWhenTheQueueIsFull() {
        limiter(oneSlot().maxQueue(1).agingInterval(Duration.ZERO));
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        Ticket waiting = limiter.enqueue(request(1, "b", "waiting"));

        Ticket retry = limiter.enqueueAtHead(request(1, "c", "retry-after-busy"));

        assertThat(retry.result()).isNotDone();
        assertThat(retry.position()).isEqualTo(1);
        assertThat(waiting.position()).isEqualTo(2);
        holder.release();
        assertThat(Tickets.requestIdOf(retry)).isEqualTo("retry-after-busy");
        assertThat(waiting.result()).isNotDone();
    }

    @Test
    void requeueAtHeadWaitsBeforeEveryoneAtItsLevel() {
        limiter(LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 2).agingInterval(Duration.ZERO));
        Permit rejectedUpstream = permitOf(limiter.enqueue(request(1, "a", "retry-me")));
        Permit other = permitOf(limiter.enqueue(request(1, "a", "other")));
        Ticket queued = limiter.enqueue(request(1, "b", "queued"));

        rejectedUpstream.onUpstreamConcurrencyRejected();
        Ticket again = rejectedUpstream.requeueAtHead();

        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).limit()).isEqualTo(1);
        assertThat(again.position()).isEqualTo(1);
        assertThat(queued.position()).isEqualTo(2);
        other.release();
        assertThat(Tickets.requestIdOf(again)).isEqualTo("retry-me");
        assertThat(queued.result()).isNotDone();
        assertThatThrownBy(rejectedUpstream::requeueAtHead).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already released");
    }

    @Test
    void requeueIgnoresFullQueue() {
        limiter(oneSlot().maxQueue(1));
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        limiter.enqueue(request(1, "a", "waiting"));

        Ticket again = holder.requeueAtHead();

        assertThat(again.result()).isCompleted();
        assertThat(Tickets.requestIdOf(again)).isEqualTo("holder");
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).queued()).isEqualTo(1);
    }

    @Test
    void closeRejectsQueuedAndLaterRequests() {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        Ticket waiting = limiter.enqueue(request(1, "a", "waiting"));

        limiter.close();

        assertThat(rejectionOf(waiting).reason()).isEqualTo(RejectReason.SHUTTING_DOWN);
        assertThat(rejectionOf(waiting).toApiError().httpStatus()).isEqualTo(503);
        assertThat(rejectionOf(limiter.enqueue(request(1, "a", "late"))).reason())
                .isEqualTo(RejectReason.SHUTTING_DOWN);
        holder.release();
        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void rejectsFamilyUnavailableOnPlan() {
        limiter(LimiterConfig.builder().plan(PlanTier.FREE));

        Admission.Rejected rejected = rejectionOf(limiter.enqueue(
                AdmissionRequest.of(ModelFamily.MUSIC, 1, "a", 0, "song")));

        assertThat(rejected.reason()).isEqualTo(RejectReason.FAMILY_UNAVAILABLE);
        assertThat(rejected.retryAfter()).isZero();
        assertThat(rejected.message()).contains("music");
        assertThat(rejected.toApiError().httpStatus()).isEqualTo(403);
    }

    @Test
    void priorityBeyondLevelsIsServedAtLowestLevel() {
        limiter(oneSlot());
        permitOf(limiter.enqueue(request(1, "a", "holder")));

        limiter.enqueue(request(99, "a", "way-down"));

        assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).queuedByPriority()).containsExactly(0, 0, 1);
    }

    @Test
    void publishesAdmittedEventWithQueueWait() {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        Ticket waiting = limiter.enqueue(request(1, "a", "waiting"));

        time.advance(Duration.ofSeconds(2));
        holder.release();

        assertThat(((Admission.Granted) waiting.result().join()).queueWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(events).filteredOn(LimiterEvent.Admitted.class::isInstance).hasSize(2)
                .last().satisfies(event -> assertThat(((LimiterEvent.Admitted) event).queueWait())
                        .isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void brokenListenerDoesNotBreakAdmission() {
        limiter(oneSlot());
        limiter.addListener(event -> {
            throw new IllegalStateException("boom");
        });

        permitOf(limiter.enqueue(request(1, "a", "r")));
    }

    @Test
    void tryAcquireTakesOnlyAFreeSlot() {
        limiter(oneSlot());

        Permit permit = limiter.tryAcquire(request(1, "a", "r1"));

        assertThat(permit).isNotNull();
        assertThat(limiter.tryAcquire(request(1, "a", "r2"))).isNull();
        permit.release();
        assertThat(limiter.tryAcquire(request(1, "a", "r3"))).isNotNull();
    }

    @Test
    void acquireBlocksUntilReleaseAndLeavesQueueOnInterrupt() throws Exception {
        limiter(oneSlot());
        Permit holder = permitOf(limiter.enqueue(request(1, "a", "holder")));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            Future<Admission> blocked = executor.submit(() -> limiter.acquire(request(1, "a", "blocked")));
            Future<?> interrupted = executor.submit(() -> limiter.acquire(request(1, "a", "interrupted")));
            await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).queued() == 2);

            interrupted.cancel(true);
            await().until(() -> limiter.snapshot(ModelFamily.MULTILINGUAL).queued() == 1);
            holder.release();

            assertThat(blocked.get()).isInstanceOf(Admission.Granted.class);
            assertThat(limiter.snapshot(ModelFamily.MULTILINGUAL).inFlight()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void acquireReportsCancellationByAnotherThread() {
        limiter(oneSlot());
        permitOf(limiter.enqueue(request(1, "a", "holder")));
        Ticket ticket = limiter.enqueue(request(1, "a", "x"));
        CompletableFuture<Admission> result = ticket.result();

        ticket.cancel();

        assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);
    }
}
