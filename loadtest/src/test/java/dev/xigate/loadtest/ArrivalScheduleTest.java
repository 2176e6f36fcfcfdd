package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

    @Test
    void constantRateSpacesRequestsEvenly() {
        ArrivalSchedule schedule = ArrivalSchedule.constant(10, 60);

        assertThat(schedule.offsetNanos(0)).isZero();
        assertThat(schedule.offsetNanos(10)).isEqualTo(1_000_000_000L);
        assertThat(schedule.plannedCount()).isEqualTo(600);
    }

    @Test
    void seedRampPlansTheAreaUnderTheRate() {
        ArrivalSchedule schedule = new ArrivalSchedule(1, 10, 300);

        assertThat(schedule.plannedCount()).isEqualTo(1650);
        assertThat(schedule.offsetNanos(1649)).isLessThan(300_000_000_000L);
        assertThat(schedule.offsetNanos(1650)).isGreaterThanOrEqualTo(299_999_000_000L);
    }

    @Test
    void rampArrivalsGetDenserOverTime() {
        ArrivalSchedule schedule = new ArrivalSchedule(1, 10, 300);

        long firstGap = schedule.offsetNanos(1) - schedule.offsetNanos(0);
        long lastGap = schedule.offsetNanos(1649) - schedule.offsetNanos(1648);

        assertThat(firstGap).isBetween(900_000_000L, 1_000_000_000L);
        assertThat(lastGap).isBetween(99_000_000L, 103_000_000L);
        assertThat(schedule.rateAt(150)).isEqualTo(5.5);
    }

    @Test
    void rampDownIsSupported() {
        ArrivalSchedule schedule = new ArrivalSchedule(10, 2, 10);

        assertThat(schedule.plannedCount()).isEqualTo(60);
        assertThat(schedule.offsetNanos(59)).isLessThan(10_000_000_000L);
    }

    @Test
    void rejectsANonPositiveRate() {
        assertThatThrownBy(() -> new ArrivalSchedule(0, 10, 10)).hasMessage("rps: 0.0..10.0 (expected: > 0)");
    }
}
