package dev.xigate.health;

import java.util.Objects;

/**
 * Returns one health check's verdict: a sealed result.
 *
 * <p>{@link Up} is fine; {@link Degraded} is reported but keeps the instance ready (a deep queue, an upstream that
 * did not answer the last poll); {@link Down} makes the instance not ready. Each carries a sentence saying why.
 * Immutable.
 */
public sealed interface CheckResult {
    /** Returns why the check reached its verdict, for a person reading the health JSON. */
    String detail();

    /** Returns the verdict's name in the health JSON: {@code UP}, {@code DEGRADED} or {@code DOWN}. */
    String status();

    /** Creates an {@code UP} result. */
    static CheckResult up(String detail) {
        return new Up(detail);
    }

    /** Creates a {@code DEGRADED} result. */
    static CheckResult degraded(String detail) {
        return new Degraded(detail);
    }

    /** Creates a {@code DOWN} result. */
    static CheckResult down(String detail) {
        return new Down(detail);
    }

    /**
     * The checked part works.
     *
     * @param detail what was seen
     */
    record Up(String detail) implements CheckResult {
        /** Creates an up result. */
        public Up {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String status() {
            return "UP";
        }
    }

    /**
     * The checked part works worse than it should, but the instance can still serve.
     *
     * @param detail what is wrong
     */
    record Degraded(String detail) implements CheckResult {
        /** Creates a degraded result. */
        public Degraded {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String status() {
            return "DEGRADED";
        }
    }

    /**
     * The checked part fails: the instance should not receive traffic.
     *
     * @param detail what fails
     */
    record Down(String detail) implements CheckResult {
        /** Creates a down result. */
        public Down {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String status() {
            return "DOWN";
        }
    }
}
