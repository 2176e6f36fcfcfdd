package dev.xigate.limit;

/**
 * The mutable state of one rate policy for one key. Not thread-safe: {@link InMemoryPermitStore} guards it.
 */
abstract sealed class RateState permits RateState.Bucket, RateState.Window, RateState.Budget {
    static final long NEVER = Long.MAX_VALUE;
    private static final double NANOS_PER_SECOND = 1e9;

    /** Returns how long until {@code amount} can be consumed: 0 now, {@link #NEVER} if it never can. */
    abstract long waitNanos(long amount, long nowNanos);

    /** Consumes {@code amount}; the caller checked {@link #waitNanos} first. */
    abstract void consume(long amount, long nowNanos);

    static RateState of(RatePolicy policy) {
        return switch (policy) {
            case RatePolicy.TokenBucket bucket -> new Bucket(bucket);
            case RatePolicy.SlidingWindow window -> new Window(window);
            case RatePolicy.CharacterBudget budget -> new Budget(budget);
        };
    }

    /** Token bucket: tokens refill continuously at the rate up to the capacity; starts full. */
    static final class Bucket extends RateState {
        private final long capacity;
        private final double tokensPerNano;
        private double tokens;
        private long refilledAtNanos;
        private boolean started;

        Bucket(RatePolicy.TokenBucket policy) {
            this.capacity = policy.capacity();
            this.tokensPerNano = policy.refillPerSecond() / NANOS_PER_SECOND;
            this.tokens = capacity;
        }

        @Override
        long waitNanos(long amount, long nowNanos) {
            if (amount > capacity) {
                return NEVER;
            }
            refill(nowNanos);
            if (tokens >= amount) {
                return 0;
            }
            return Math.max(1, (long) Math.ceil((amount - tokens) / tokensPerNano));
        }

        @Override
        void consume(long amount, long nowNanos) {
            refill(nowNanos);
            tokens -= amount;
        }

        private void refill(long nowNanos) {
            if (!started) {
                started = true;
                refilledAtNanos = nowNanos;
                return;
            }
            long elapsed = nowNanos - refilledAtNanos;
            if (elapsed > 0) {
                tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
                refilledAtNanos = nowNanos;
            }
        }
    }

    /** Sliding window log: the admission times of the last {@code maxRequests} requests, in a ring. */
    static final class Window extends RateState {
        private final long windowNanos;
        private final long[] admittedAtNanos;
        private int head;
        private int size;

        Window(RatePolicy.SlidingWindow policy) {
            this.windowNanos = Durations.toNanos(policy.window());
            this.admittedAtNanos = new long[policy.maxRequests()];
        }

        @Override
        long waitNanos(long amount, long nowNanos) {
            if (amount > admittedAtNanos.length) {
                return NEVER;
            }
            expire(nowNanos);
            int free = admittedAtNanos.length - size;
            if (free >= amount) {
                return 0;
            }
            // The (amount - free)-th oldest entry must leave the window first.
            long leavingAt = admittedAtNanos[(head + (int) (amount - free) - 1) % admittedAtNanos.length];
            return Math.max(1, leavingAt + windowNanos - nowNanos);
        }

        @Override
        void consume(long amount, long nowNanos) {
            expire(nowNanos);
            for (long i = 0; i < amount; i++) {
                admittedAtNanos[(head + size) % admittedAtNanos.length] = nowNanos;
                size++;
            }
        }

        private void expire(long nowNanos) {
            while (size > 0 && nowNanos - admittedAtNanos[head] >= windowNanos) {
                head = (head + 1) % admittedAtNanos.length;
                size--;
            }
        }
    }

    /** Fixed-period budget: the sum of amounts per period; the first period starts at the first use. */
    static final class Budget extends RateState {
        private final long max;
        private final long periodNanos;
        private long used;
        private long periodStartNanos;
        private boolean started;

        Budget(RatePolicy.CharacterBudget policy) {
            this.max = policy.maxCharacters();
            this.periodNanos = Durations.toNanos(policy.period());
        }

        @Override
        long waitNanos(long amount, long nowNanos) {
            if (amount > max) {
                return NEVER;
            }
            roll(nowNanos);
            if (used + amount <= max) {
                return 0;
            }
            return Math.max(1, periodStartNanos + periodNanos - nowNanos);
        }

        @Override
        void consume(long amount, long nowNanos) {
            roll(nowNanos);
            used += amount;
        }

        private void roll(long nowNanos) {
            if (!started) {
                started = true;
                periodStartNanos = nowNanos;
                return;
            }
            long elapsed = nowNanos - periodStartNanos;
            if (elapsed >= periodNanos) {
                periodStartNanos += (elapsed / periodNanos) * periodNanos;
                used = 0;
            }
        }
    }
}
