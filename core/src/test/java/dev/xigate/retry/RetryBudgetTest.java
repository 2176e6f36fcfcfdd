package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.testing.FakeTime;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final FakeTime time = new FakeTime();

    private long grantedOutOf(RetryBudget budget, int tries) {
        return IntStream.range(0, tries).filter(i -> budget.tryAcquireRetry()).count();
    }

    @Test
    void allowsRatioOfRequestsPlusMinimum() {
        RetryBudget budget = new RetryBudget(0.2, 3, Duration.ofMinutes(1), time.nanoClock());
        IntStream.range(0, 100).forEach(i -> budget.recordRequest());

        assertThat(grantedOutOf(budget, 1000)).isEqualTo(23);
        assertThat(budget.snapshot()).isEqualTo(new RetryBudget.Snapshot(100, 23, 0));
    }

    @Test
    void quietGatewayStillGetsMinimum() {
        RetryBudget budget = new RetryBudget(0.2, 2, Duration.ofMinutes(1), time.nanoClock());
        budget.recordRequest();

        assertThat(grantedOutOf(budget, 10)).isEqualTo(2);
    }

    @Test
    void zeroMinimumAndNoRequestsAllowsNothing() {
        RetryBudget budget = new RetryBudget(0.2, 0, Duration.ofMinutes(1), time.nanoClock());

        assertThat(budget.tryAcquireRetry()).isFalse();
    }

    @Test
    void oldBucketsSlideOutOfWindow() {
        RetryBudget budget = new RetryBudget(0.5, 0, Duration.ofMinutes(1), time.nanoClock());
        IntStream.range(0, 10).forEach(i -> budget.recordRequest());
        assertThat(grantedOutOf(budget, 100)).isEqualTo(5);

        time.advance(Duration.ofSeconds(30));
        assertThat(budget.tryAcquireRetry()).isFalse();
        IntStream.range(0, 2).forEach(i -> budget.recordRequest());
        assertThat(grantedOutOf(budget, 100)).isEqualTo(1);

        time.advance(Duration.ofSeconds(31));
        assertThat(budget.snapshot()).isEqualTo(new RetryBudget.Snapshot(2, 1, 0));

        time.advance(Duration.ofMinutes(5));
        assertThat(budget.snapshot()).isEqualTo(new RetryBudget.Snapshot(0, 0, 0));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new RetryBudget(1.5, 0, Duration.ofMinutes(1), time.nanoClock()))
                .hasMessage("ratio: 1.5 (expected: 0.0..1.0)");
        assertThatThrownBy(() -> new RetryBudget(0.1, -1, Duration.ofMinutes(1), time.nanoClock()))
                .hasMessage("minRetries: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new RetryBudget(0.1, 0, Duration.ofMillis(5), time.nanoClock()))
                .hasMessage("window: PT0.005S (expected: >= 12ms)");
    }
}
