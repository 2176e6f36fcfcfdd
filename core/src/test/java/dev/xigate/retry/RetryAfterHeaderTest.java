package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterHeaderTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void readsWholeSeconds() {
        assertThat(RetryAfterHeader.parse(" 3 ", NOW)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfterHeader.parse("0", NOW)).contains(Duration.ZERO);
    }

    @Test
    void readsHttpDate() {
        assertThat(RetryAfterHeader.parse("Thu, 03 Dec 2026 12:00:07 GMT", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfterHeader.parse("Thu, 03 Dec 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void ignoresAbsentOrUnreadableValues() {
        assertThat(RetryAfterHeader.parse(null, NOW)).isEmpty();
        assertThat(RetryAfterHeader.parse("  ", NOW)).isEmpty();
        assertThat(RetryAfterHeader.parse("-4", NOW)).isEmpty();
        assertThat(RetryAfterHeader.parse("soon", NOW)).isEmpty();
    }

    @Test
    void formatsRoundedUpSecondsAtLeastOne() {
        assertThat(RetryAfterHeader.format(Duration.ZERO)).isEqualTo("1");
        assertThat(RetryAfterHeader.format(Duration.ofMillis(1001))).isEqualTo("2");
        assertThat(RetryAfterHeader.format(Duration.ofSeconds(60))).isEqualTo("60");
    }
}
