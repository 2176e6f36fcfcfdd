package dev.xigate.limit;

import static dev.xigate.limit.Tickets.permitOf;
import static dev.xigate.limit.Tickets.rejectionOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimiterRateTest {
    private final ManualTime time = new ManualTime();
    private Limiter limiter;

    private Limiter limiter(LimiterConfig.Builder builder) {
        limiter = Limiter.inMemory(builder.limit(ModelFamily.MULTILINGUAL, 10).agingInterval(Duration.ZERO)
                .nanoClock(time).scheduler(time).build());
        return limiter;
    }

    private static AdmissionRequest request(String client, long characters, String id) {
        return AdmissionRequest.of(ModelFamily.MULTILINGUAL, 1, client, characters, id);
    }

    @AfterEach
    void closeLimiter() {
        if (limiter != null) {
            limiter.close();
        }
    }

    @Test
    void tokenBucketAllowsBurstThenQueuesUntilRefill() {
        limiter(LimiterConfig.builder().poolPolicies(ModelFamily.MULTILINGUAL, RatePolicy.tokenBucket(2, 1.0)));

        permitOf(limiter.enqueue(request("a", 0, "r1")));
        permitOf(limiter.enqueue(request("a", 0, "r2")));
        Ticket third = limiter.enqueue(request("a", 0, "r3"));

        assertThat(third.result()).isNotDone();
        time.advance(Duration.ofMillis(999));
        assertThat(third.result()).isNotDone();
        time.advance(Duration.ofMillis(1));
        permitOf(third);
    }

    @Test
    void tokenBucketRejectsAtOnceWhenRefillIsBeyondMaxWait() {
        limiter(LimiterConfig.builder().maxWait(Duration.ofSeconds(5))
                .poolPolicies(ModelFamily.MULTILINGUAL, RatePolicy.tokenBucket(1, 0.1)));
        permitOf(limiter.enqueue(request("a", 0, "r1")));

        Admission.Rejected rejected = rejectionOf(limiter.enqueue(request("a", 0, "r2")));

        assertThat(rejected.reason()).isEqualTo(RejectReason.RATE_LIMITED);
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(rejected.message()).contains("rate limit of pool multilingual", "token bucket", "r2", "in 10s");
    }

    @Test
    void slidingWindowCountsRequestsInAnyWindow() {
        limiter(LimiterConfig.builder().clientPolicies(RatePolicy.slidingWindow(2, Duration.ofSeconds(10))));
        permitOf(limiter.enqueue(request("a", 0, "r1")));
        time.advance(Duration.ofSeconds(4));
        permitOf(limiter.enqueue(request("a", 0, "r2")));

        Ticket third = limiter.enqueue(request("a", 0, "r3"));

        assertThat(third.result()).isNotDone();
        time.advance(Duration.ofSeconds(5));
        assertThat(third.result()).isNotDone();
        time.advance(Duration.ofSeconds(1));
        permitOf(third);
        assertThat(limiter.enqueue(request("a", 0, "r4")).result()).isNotDone();
    }

    @Test
    void clientPoliciesAreSeparatePerClient() {
        limiter(LimiterConfig.builder().clientPolicies(RatePolicy.slidingWindow(1, Duration.ofSeconds(10))));
        permitOf(limiter.enqueue(request("a", 0, "a1")));

        Ticket blocked = limiter.enqueue(request("a", 0, "a2"));
        Ticket otherClient = limiter.enqueue(request("b", 0, "b1"));

        assertThat(blocked.result()).isNotDone();
        permitOf(otherClient);
        assertThat(blocked.position()).isEqualTo(1);
    }

    @Test
    void clientOverrideReplacesDefaultPolicies() {
        limiter(LimiterConfig.builder().clientPolicies(RatePolicy.slidingWindow(1, Duration.ofSeconds(10)))
                .clientPolicies("vip"));

        permitOf(limiter.enqueue(request("vip", 0, "v1")));
        permitOf(limiter.enqueue(request("vip", 0, "v2")));
        permitOf(limiter.enqueue(request("plain", 0, "p1")));
        assertThat(limiter.enqueue(request("plain", 0, "p2")).result()).isNotDone();
    }

    @Test
    void characterBudgetChargesCharactersAndResetsEachPeriod() {
        limiter(LimiterConfig.builder().maxWait(Duration.ofMinutes(2))
                .clientPolicies(RatePolicy.characterBudget(1_000, Duration.ofMinutes(1))));
        permitOf(limiter.enqueue(request("a", 700, "r1")));

        Ticket overBudget = limiter.enqueue(request("a", 400, "r2"));
        Ticket fits = limiter.enqueue(request("b", 400, "b1"));

        assertThat(overBudget.result()).isNotDone();
        permitOf(fits);
        time.advance(Duration.ofMinutes(1));
        permitOf(overBudget);
    }

    @Test
    void characterBudgetRejectsAtOnceWhenPeriodEndsAfterMaxWait() {
        limiter(LimiterConfig.builder().maxWait(Duration.ofSeconds(30))
                .clientPolicies(RatePolicy.characterBudget(1_000, Duration.ofHours(1))));
        permitOf(limiter.enqueue(request("a", 900, "r1")));

        Admission.Rejected rejected = rejectionOf(limiter.enqueue(request("a", 200, "r2")));

        assertThat(rejected.reason()).isEqualTo(RejectReason.CHARACTER_BUDGET);
        assertThat(rejected.reason().status()).isEqualTo("character_budget_exceeded");
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(rejected.message()).contains("character budget of client a", "1000 characters per 60m");
    }

    @Test
    void characterBudgetRejectsRequestLargerThanBudget() {
        limiter(LimiterConfig.builder().clientPolicies(RatePolicy.characterBudget(100, Duration.ofHours(1))));

        Admission.Rejected rejected = rejectionOf(limiter.enqueue(request("a", 101, "huge")));

        assertThat(rejected.reason()).isEqualTo(RejectReason.CHARACTER_BUDGET);
        assertThat(rejected.retryAfter()).isZero();
        assertThat(rejected.message()).contains("never");
    }

    @Test
    void requestWaitsAtMostMaxWaitForRateThenExpiresWithRateReason() {
        limiter(LimiterConfig.builder().maxWait(Duration.ofSeconds(5))
                .clientPolicies(RatePolicy.tokenBucket(1, 0.25)));
        permitOf(limiter.enqueue(request("a", 0, "r1")));
        Ticket second = limiter.enqueue(request("a", 0, "r2"));
        Ticket third = limiter.enqueue(request("a", 0, "r3"));

        time.advance(Duration.ofSeconds(4));
        permitOf(second);
        assertThat(third.result()).isNotDone();
        time.advance(Duration.ofSeconds(1));

        Admission.Rejected rejected = rejectionOf(third);
        assertThat(rejected.reason()).isEqualTo(RejectReason.RATE_LIMITED);
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(rejected.message()).contains("r3 waited 5s", "rate limit of client a");
    }

    @Test
    void rateHeldClientDoesNotBlockOthersBehindIt() {
        limiter(LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 1)
                .clientPolicies(RatePolicy.slidingWindow(1, Duration.ofSeconds(10))));
        Permit holder = permitOf(limiter.enqueue(request("a", 0, "a1")));
        Ticket heldByRate = limiter.enqueue(request("a", 0, "a2"));
        Ticket other = limiter.enqueue(request("b", 0, "b1"));

        holder.release();

        assertThat(heldByRate.result()).isNotDone();
        permitOf(other);
    }

    @Test
    void requeuedRequestIsNotChargedTwice() {
        limiter(LimiterConfig.builder().clientPolicies(RatePolicy.slidingWindow(1, Duration.ofMinutes(10))));
        Permit permit = permitOf(limiter.enqueue(request("a", 0, "a1")));

        Ticket again = permit.requeueAtHead();

        permitOf(again);
    }
}
