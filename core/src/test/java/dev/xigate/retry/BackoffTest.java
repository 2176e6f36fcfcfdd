package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @ParameterizedTest(name = "retry {0} waits {1} ms")
    @CsvSource({"1, 100", "2, 200", "3, 400", "4, 800", "5, 1000", "40, 1000", "100, 1000"})
    void exponentialDoublesUpToCap(int retry, long expectedMillis) {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 0.0);

        assertThat(backoff.nominal(retry)).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @ParameterizedTest(name = "retry {0} waits {1} ms")
    @CsvSource({"1, 500", "2, 1000", "3, 1500", "10, 2000", "1000000, 2000"})
    void linearGrowsByStepUpToCap(int retry, long expectedMillis) {
        Backoff backoff = Backoff.linear(Duration.ofMillis(500), Duration.ofSeconds(2), 0.0);

        assertThat(backoff.nominal(retry)).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @Test
    void jitterStaysWithinNominalAndLowerBound() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(1000), Duration.ofSeconds(10), 0.5);

        assertThat(backoff.delay(1, fixed(0.0))).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.delay(1, fixed(0.999999))).isBetween(Duration.ofMillis(500), Duration.ofMillis(501));
        assertThat(backoff.delay(2, fixed(0.5))).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void jitterSpreadsRealRandomDelays() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(1000), Duration.ofSeconds(10), 0.5);
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");

        var delays = java.util.stream.IntStream.range(0, 200).mapToObj(i -> backoff.delay(3, random)).toList();

        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(2000), Duration.ofMillis(4000)));
        assertThat(delays.stream().distinct().count()).isGreaterThan(100);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Backoff.linear(Duration.ZERO, Duration.ofSeconds(1), 0.1))
                .hasMessage("base: PT0S (expected: > 0)");
        assertThatThrownBy(() -> Backoff.linear(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.1))
                .hasMessage("max: PT1S (expected: >= base PT2S)");
        assertThatThrownBy(() -> Backoff.linear(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5))
                .hasMessage("jitter: 1.5 (expected: 0.0..1.0)");
        assertThatThrownBy(() -> Backoff.linear(Duration.ofSeconds(1), Duration.ofSeconds(1), 0).nominal(0))
                .hasMessage("retry: 0 (expected: >= 1)");
    }
}
