package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.testing.FakeTime;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final RandomGenerator NO_JITTER = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public double nextDouble() {
            return 0.0;
        }
    };

    private final FakeTime time = new FakeTime();

    private RetryPolicy policy(RetryConfig config) {
        RetryBudget budget = new RetryBudget(config.budgetRatio(), config.budgetMinRetries(), config.budgetWindow(),
                time.nanoClock());
        return new RetryPolicy(config, budget, NO_JITTER);
    }

    private RetryPolicy defaults() {
        return policy(RetryConfig.ofDefaults());
    }

    @ParameterizedTest(name = "{0} after attempt {1} -> {2}")
    @CsvSource({
        "SUCCESS, 1, GIVE_UP",
        "CLIENT_ERROR, 1, GIVE_UP",
        "RATE_LIMITED_CONCURRENCY, 1, PT1S",
        "RATE_LIMITED_BUSY, 2, PT2S",
        "SERVER_ERROR, 1, PT0.2S",
        "SERVER_ERROR, 2, PT0.4S",
        "SERVER_ERROR, 3, PT0.8S",
        "SERVER_ERROR, 4, GIVE_UP",
        "NETWORK_ERROR, 1, PT0.5S",
        "NETWORK_ERROR, 2, PT1S",
        "NETWORK_ERROR, 3, PT1.5S",
        "TIMEOUT, 1, PT0.5S",
        "TIMEOUT, 4, GIVE_UP"})
    void decidesByOutcomeAndAttempt(Outcome outcome, int attemptsMade, String expected) {
        RetryDecision decision = defaults().decide(attemptsMade, Duration.ZERO, DEADLINE, outcome, null, false);

        if (expected.equals("GIVE_UP")) {
            assertThat(decision).isInstanceOf(RetryDecision.GiveUp.class);
        } else {
            assertThat(decision).isEqualTo(new RetryDecision.Retry(Duration.parse(expected), false));
        }
    }

    @Test
    void neverRetriesClientErrors() {
        assertThat(defaults().decide(1, Duration.ZERO, DEADLINE, Outcome.CLIENT_ERROR, null, false))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.NOT_RETRYABLE));
    }

    @Test
    void stopsOnceResponseStarted() {
        assertThat(defaults().decide(1, Duration.ZERO, DEADLINE, Outcome.NETWORK_ERROR, null, true))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.RESPONSE_STARTED));
    }

    @Test
    void stopsWhenAttemptsAreUsed() {
        RetryPolicy policy = policy(RetryConfig.builder().maxAttempts(2).build());

        assertThat(policy.decide(2, Duration.ZERO, DEADLINE, Outcome.SERVER_ERROR, null, false))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.ATTEMPTS_EXHAUSTED));
    }

    @Test
    void honoursRetryAfterForRateLimits() {
        assertThat(defaults().decide(1, Duration.ZERO, DEADLINE, Outcome.RATE_LIMITED_BUSY, Duration.ofSeconds(3),
                false)).isEqualTo(new RetryDecision.Retry(Duration.ofSeconds(3), true));
    }

    @Test
    void capsRetryAfter() {
        RetryPolicy policy = policy(RetryConfig.builder().retryAfterCap(Duration.ofSeconds(5)).build());

        assertThat(policy.decide(1, Duration.ZERO, DEADLINE, Outcome.RATE_LIMITED_BUSY, Duration.ofSeconds(50),
                false)).isEqualTo(new RetryDecision.Retry(Duration.ofSeconds(5), true));
    }

    @Test
    void stopsWhenWaitWouldPassDeadline() {
        assertThat(defaults().decide(1, Duration.ofSeconds(29), DEADLINE, Outcome.RATE_LIMITED_BUSY,
                Duration.ofSeconds(2), false))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.DEADLINE_EXCEEDED));
        assertThat(defaults().decide(1, Duration.ofMillis(500), Duration.ofSeconds(1), Outcome.NETWORK_ERROR, null,
                false)).isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.DEADLINE_EXCEEDED));
    }

    @Test
    void stopsWhenBudgetIsSpentAndRefusedRetriesDoNotSpendIt() {
        RetryPolicy policy = policy(RetryConfig.builder().budgetMinRetries(1).budgetRatio(0.0).build());

        assertThat(policy.decide(4, Duration.ZERO, DEADLINE, Outcome.SERVER_ERROR, null, false))
                .isInstanceOf(RetryDecision.GiveUp.class);
        assertThat(policy.decide(1, Duration.ZERO, DEADLINE, Outcome.SERVER_ERROR, null, false))
                .isInstanceOf(RetryDecision.Retry.class);
        assertThat(policy.decide(1, Duration.ZERO, DEADLINE, Outcome.SERVER_ERROR, null, false))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.BUDGET_EXHAUSTED));
    }
}
