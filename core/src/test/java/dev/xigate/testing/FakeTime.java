package dev.xigate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A test clock that only moves when told: one nano counter seen as both a wall clock and a monotonic clock. */
public final class FakeTime {
    private static final Instant EPOCH = Instant.parse("2026-12-03T12:00:00Z");
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    /** Moves time forward. */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    /** Returns the monotonic view. */
    public LongSupplier nanoClock() {
        return nanos::get;
    }

    /** Returns the current nano reading. */
    public long nanoTime() {
        return nanos.get();
    }

    /** Returns the wall-clock view. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return EPOCH.plusNanos(nanos.get());
            }
        };
    }
}
