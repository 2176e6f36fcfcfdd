package dev.xigate.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryPermitStoreTest {
    private static final long SECOND = 1_000_000_000L;
    private final InMemoryPermitStore store = new InMemoryPermitStore();

    @Test
    void acquiresUpToLimitPerFamily() {
        assertThat(store.tryAcquire(ModelFamily.STT, 2)).isNotEqualTo(PermitStore.NO_LEASE);
        assertThat(store.tryAcquire(ModelFamily.STT, 2)).isNotEqualTo(PermitStore.NO_LEASE);
        assertThat(store.tryAcquire(ModelFamily.STT, 2)).isEqualTo(PermitStore.NO_LEASE);
        assertThat(store.tryAcquire(ModelFamily.MUSIC, 1)).isNotEqualTo(PermitStore.NO_LEASE);

        store.release(ModelFamily.STT, 0);

        assertThat(store.inFlight(ModelFamily.STT)).isEqualTo(1);
    }

    @Test
    void refusesReleaseWithoutPermitInFlight() {
        assertThatThrownBy(() -> store.release(ModelFamily.STT, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot release permit of stt: none in flight");
        assertThat(store.inFlight(ModelFamily.STT)).isZero();
    }

    @Test
    void consumesAllChargesOrNone() {
        RateCharge roomy = new RateCharge("a", RatePolicy.tokenBucket(10, 1), 1);
        RateCharge tight = new RateCharge("b", RatePolicy.slidingWindow(1, Duration.ofSeconds(10)), 1);
        assertThat(store.tryConsume(List.of(tight), 0)).isTrue();

        assertThat(store.tryConsume(List.of(roomy, tight), SECOND)).isFalse();

        RateWait wait = store.probe(List.of(roomy, tight), SECOND);
        assertThat(wait.blockingIndex()).isEqualTo(1);
        assertThat(wait.nanos()).isEqualTo(9 * SECOND);
        assertThat(store.probe(List.of(new RateCharge("a", RatePolicy.tokenBucket(10, 1), 10)), SECOND).isReady())
                .isTrue();
    }

    @Test
    void tokenBucketRefillsContinuouslyUpToCapacity() {
        RateCharge charge = new RateCharge("bucket", RatePolicy.tokenBucket(2, 4), 1);
        store.tryConsume(List.of(charge), 0);
        store.tryConsume(List.of(charge), 0);

        assertThat(store.probe(List.of(charge), 0).nanos()).isEqualTo(SECOND / 4);
        assertThat(store.probe(List.of(charge), SECOND / 4).isReady()).isTrue();
        assertThat(store.probe(List.of(new RateCharge("bucket", charge.policy(), 3)), 10 * SECOND).nanos())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void characterBudgetResetsAtPeriodBoundary() {
        RatePolicy budget = RatePolicy.characterBudget(100, Duration.ofSeconds(60));
        assertThat(store.tryConsume(List.of(new RateCharge("c", budget, 80)), 5 * SECOND)).isTrue();

        assertThat(store.probe(List.of(new RateCharge("c", budget, 30)), 20 * SECOND).nanos()).isEqualTo(45 * SECOND);
        assertThat(store.tryConsume(List.of(new RateCharge("c", budget, 30)), 65 * SECOND)).isTrue();
        assertThat(store.probe(List.of(new RateCharge("c", budget, 71)), 70 * SECOND).nanos())
                .isEqualTo(55 * SECOND);
    }
}
