package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryConfigTest {
    @Test
    void defaultsFollowTheProductDescription() {
        RetryConfig config = RetryConfig.ofDefaults();

        assertThat(config.overallDeadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.budgetRatio()).isEqualTo(0.2);
        assertThat(config.budgetWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.networkBackoff().kind()).isEqualTo(Backoff.Kind.LINEAR);
        assertThat(config.serverErrorBackoff().kind()).isEqualTo(Backoff.Kind.EXPONENTIAL);
        assertThat(config.rateLimitBackoff().kind()).isEqualTo(Backoff.Kind.EXPONENTIAL);
    }

    @Test
    void builderRoundTripsThroughToBuilder() {
        RetryConfig config = RetryConfig.builder().maxAttempts(7).budgetRatio(0.1).build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(0).build())
                .hasMessage("maxAttempts: 0 (expected: >= 1)");
        assertThatThrownBy(() -> RetryConfig.builder().overallDeadline(Duration.ZERO).build())
                .hasMessage("overallDeadline: PT0S (expected: > 0)");
        assertThatThrownBy(() -> RetryConfig.builder().budgetRatio(-0.1).build())
                .hasMessage("budgetRatio: -0.1 (expected: 0.0..1.0)");
        assertThatThrownBy(() -> RetryConfig.builder().budgetMinRetries(-1).build())
                .hasMessage("budgetMinRetries: -1 (expected: >= 0)");
    }

    @Test
    void refusesBackoffForNonRetryableOutcome() {
        assertThatThrownBy(() -> RetryConfig.ofDefaults().backoffFor(Outcome.CLIENT_ERROR))
                .hasMessage("outcome: CLIENT_ERROR (expected: a retryable outcome)");
    }
}
