package dev.xigate.limit;

import static dev.xigate.limit.Tickets.permitOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
    private static final ModelFamily FAMILY = ModelFamily.TURBO_FLASH;
    private final ManualTime time = new ManualTime();
    private final List<LimiterEvent> events = new CopyOnWriteArrayList<>();
    private Limiter limiter;

    private Limiter limiter(int configured) {
        return limiter(LimiterConfig.builder().limit(FAMILY, configured));
    }

    private Limiter limiter(LimiterConfig.Builder builder) {
        limiter = Limiter.inMemory(builder.probeInterval(Duration.ofSeconds(30)).agingInterval(Duration.ZERO)
                .nanoClock(time).scheduler(time).build());
        limiter.addListener(events::add);
        return limiter;
    }

    @AfterEach
    void closeLimiter() {
        if (limiter != null) {
            limiter.close();
        }
    }

    private Permit take(String id) {
        return permitOf(limiter.enqueue(AdmissionRequest.of(FAMILY, 1, "a", 0, id)));
    }

    private Ticket enqueue(String id) {
        return limiter.enqueue(AdmissionRequest.of(FAMILY, 1, "a", 0, id));
    }

    private PoolSnapshot pool() {
        return limiter.snapshot(FAMILY);
    }

    @Test
    void higherUpstreamMaximumRaisesLimitAndCeiling() {
        limiter(2);
        Permit first = take("r1");
        take("r2");
        Ticket waiting = enqueue("r3");

        first.onUpstreamHeaders(2, 5);

        assertThat(pool().limit()).isEqualTo(5);
        assertThat(pool().maximumLimit()).isEqualTo(5);
        assertThat(pool().configuredLimit()).isEqualTo(2);
        permitOf(waiting);
        assertThat(events).contains(new LimiterEvent.LimitChanged(FAMILY, 2, 5, LimitChangeCause.UPSTREAM_HEADERS));
    }

    @Test
    void lowerUpstreamMaximumShrinksAtOnce() {
        limiter(6);
        Permit first = take("r1");

        first.onUpstreamHeaders(1, 3);

        assertThat(pool().limit()).isEqualTo(3);
        take("r2");
        take("r3");
        assertThat(enqueue("r4").result()).isNotDone();
    }

    @Test
    void concurrencyUsedByOthersIsLeftToThem() {
        limiter(10);
        Permit first = take("r1");
        take("r2");

        first.onUpstreamHeaders(6, 10);

        assertThat(pool().limit()).isEqualTo(6);
        assertThat(events).contains(new LimiterEvent.LimitChanged(FAMILY, 10, 6, LimitChangeCause.UPSTREAM_HEADERS));
    }

    @Test
    void undercountedOthersAreRememberedForTheWindow() {
        limiter(LimiterConfig.builder().limit(FAMILY, 10).sharedUsageWindow(Duration.ofSeconds(10)));
        Permit first = take("r1");
        first.onUpstreamHeaders(4, 10);
        assertThat(pool().limit()).isEqualTo(7);

        // Our second request is still on its way upstream: current counts the others and one of ours only.
        Permit second = take("r2");
        second.onUpstreamHeaders(4, 10);
        assertThat(pool().limit()).as("one response saying 2 others must not undo having seen 3").isEqualTo(7);

        time.advance(Duration.ofSeconds(11));
        second.onUpstreamHeaders(3, 10);
        assertThat(pool().limit()).as("the others released a slot a window ago").isEqualTo(9);
    }

    @Test
    void answerCountedBeforeOursFinishedIsNotReadAsOthers() {
        limiter(LimiterConfig.builder().limit(FAMILY, 10).sharedUsageWindow(Duration.ofSeconds(10)));
        List<Permit> ours = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ours.add(take("r" + i));
        }
        // The upstream counted 10 when it admitted the last one; 8 of ours finished before its headers came back.
        for (int i = 0; i < 8; i++) {
            ours.get(i).release();
        }

        ours.get(9).onUpstreamHeaders(10, 10);

        assertThat(pool().limit()).as("all 10 counted upstream were ours").isEqualTo(10);
        assertThat(events).noneMatch(LimiterEvent.LimitChanged.class::isInstance);
    }

    @Test
    void zeroSharedUsageWindowTrustsEachResponse() {
        limiter(LimiterConfig.builder().limit(FAMILY, 10).sharedUsageWindow(Duration.ZERO));
        Permit first = take("r1");
        first.onUpstreamHeaders(4, 10);
        Permit second = take("r2");

        second.onUpstreamHeaders(4, 10);

        assertThat(pool().limit()).isEqualTo(8);
    }

    @Test
    void othersUsingEverythingStillLeavesOneSlot() {
        limiter(4);
        Permit first = take("r1");

        first.onUpstreamHeaders(9, 4);

        assertThat(pool().limit()).isEqualTo(1);
    }

    @Test
    void absentHeadersChangeNothing() {
        limiter(4);
        Permit first = take("r1");

        first.onUpstreamHeaders(-1, -1);
        first.onUpstreamHeaders(3, -1);

        assertThat(pool().limit()).isEqualTo(4);
        assertThat(events).noneMatch(LimiterEvent.LimitChanged.class::isInstance);
    }

    @Test
    void upstreamConcurrencyRejectionShrinksToInFlightMinusOne() {
        limiter(10);
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            permits.add(take("r" + i));
        }

        permits.get(3).onUpstreamConcurrencyRejected();

        assertThat(pool().limit()).isEqualTo(3);
        assertThat(events).contains(new LimiterEvent.LimitChanged(FAMILY, 10, 3, LimitChangeCause.UPSTREAM_REJECTED));
    }

    @Test
    void rejectionNeverShrinksBelowOne() {
        limiter(3);
        Permit only = take("r1");

        only.onUpstreamConcurrencyRejected();
        only.onUpstreamConcurrencyRejected();

        assertThat(pool().limit()).isEqualTo(1);
    }

    @Test
    void limitGrowsBackOneStepPerQuietProbeInterval() {
        limiter(4);
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            permits.add(take("r" + i));
        }
        permits.get(2).onUpstreamConcurrencyRejected();
        permits.forEach(Permit::release);
        assertThat(pool().limit()).isEqualTo(2);

        time.advance(Duration.ofSeconds(29));
        assertThat(pool().limit()).isEqualTo(2);
        time.advance(Duration.ofSeconds(1));
        assertThat(pool().limit()).isEqualTo(3);
        time.advance(Duration.ofSeconds(30));
        assertThat(pool().limit()).isEqualTo(4);
        time.advance(Duration.ofMinutes(5));

        assertThat(pool().limit()).isEqualTo(4);
        assertThat(events).contains(new LimiterEvent.LimitChanged(FAMILY, 2, 3, LimitChangeCause.PROBE));
    }

    @Test
    void probeNeverExceedsLearnedMaximum() {
        limiter(10);
        Permit first = take("r1");
        first.onUpstreamHeaders(1, 3);
        take("r2");
        take("r3");
        Permit last = pool().inFlight() == 3 ? first : null;
        last.onUpstreamConcurrencyRejected();
        assertThat(pool().limit()).isEqualTo(2);

        time.advance(Duration.ofMinutes(10));

        assertThat(pool().limit()).isEqualTo(3);
    }

    @Test
    void freshHeadersHoldOffTheProbe() {
        limiter(4);
        Permit first = take("r1");
        first.onUpstreamHeaders(3, 4);
        assertThat(pool().limit()).isEqualTo(2);

        time.advance(Duration.ofSeconds(20));
        first.onUpstreamHeaders(3, 4);
        time.advance(Duration.ofSeconds(20));

        assertThat(pool().limit()).isEqualTo(2);
    }

    @Test
    void waiterGetsSlotWhenProbeGrowsLimit() {
        limiter(2);
        Permit first = take("r1");
        take("r2");
        first.onUpstreamConcurrencyRejected();
        first.release();
        Ticket waiting = enqueue("r3");
        assertThat(waiting.result()).isNotDone();

        time.advance(Duration.ofSeconds(30));

        permitOf(waiting);
    }

    @Test
    void nonAdaptiveLimiterIgnoresUpstreamSignals() {
        limiter(LimiterConfig.builder().limit(FAMILY, 4).adaptive(false));
        Permit first = take("r1");

        first.onUpstreamHeaders(1, 9);
        first.onUpstreamConcurrencyRejected();

        assertThat(pool().limit()).isEqualTo(4);
    }

    @Test
    void aReleaseAboutToGoToAWaiterIsNotTakenForAnotherClientsUsage() {
        // Ten of ten slots ours, one request waiting. A release returns its slot to the store first and grants the
        // waiter just after; headers read in between see nine of ours against the upstream's ten.
        List<Runnable> duringRelease = new ArrayList<>();
        PermitStore dipping = new PermitStore() {
            private final InMemoryPermitStore store = new InMemoryPermitStore();

            @Override
            public long tryAcquire(ModelFamily family, int limit) {
                return store.tryAcquire(family, limit);
            }

            @Override
            public void release(ModelFamily family, long leaseId) {
                store.release(family, leaseId);
                duringRelease.forEach(Runnable::run);
            }

            @Override
            public int inFlight(ModelFamily family) {
                return store.inFlight(family);
            }

            @Override
            public RateWait probe(List<RateCharge> charges, long nowNanos) {
                return store.probe(charges, nowNanos);
            }

            @Override
            public boolean tryConsume(List<RateCharge> charges, long nowNanos) {
                return store.tryConsume(charges, nowNanos);
            }

            @Override
            public void close() {
                store.close();
            }
        };
        limiter = Limiter.of(LimiterConfig.builder().limit(FAMILY, 10).permitStore(() -> dipping)
                .probeInterval(Duration.ofSeconds(30)).agingInterval(Duration.ZERO).nanoClock(time).scheduler(time)
                .build());
        List<Permit> ours = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ours.add(take("r" + i));
        }
        Ticket waiting = enqueue("r10");
        Permit answered = ours.get(1);
        duringRelease.add(() -> answered.onUpstreamHeaders(10, 10));

        ours.get(0).release();

        assertThat(permitOf(waiting)).isNotNull();
        assertThat(pool().limit()).isEqualTo(10);
        assertThat(pool().inFlight()).isEqualTo(10);
    }
}
