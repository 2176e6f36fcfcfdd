package dev.xigate.metrics;

import java.time.Instant;
import java.util.Objects;

/**
 * Returns what the last poll of the account's subscription found: a sealed result, one record per outcome.
 *
 * <p>{@link Known} carries the usage; {@link Rejected} means the upstream refused the configured key (the gateway
 * cannot serve); {@link Unreachable} means no answer came (network, timeout, 5xx); {@link Unknown} means no poll has
 * finished yet. Immutable.
 */
public sealed interface QuotaStatus {
    /** Returns when the poll finished, or {@link Instant#EPOCH} for {@link Unknown}. */
    Instant at();

    /** Returns the state before the first poll. */
    static QuotaStatus unknown() {
        return Unknown.INSTANCE;
    }

    /**
     * A successful poll.
     *
     * @param used characters (credits) used this period
     * @param limit characters (credits) the period allows
     * @param at when the poll finished
     */
    record Known(long used, long limit, Instant at) implements QuotaStatus {
        /** Creates a successful poll result. */
        public Known {
            Objects.requireNonNull(at, "at");
            if (used < 0) {
                throw new IllegalArgumentException("used: " + used + " (expected: >= 0)");
            }
            if (limit < 0) {
                throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
            }
        }

        /** Returns the used share of the limit in percent (100 when the limit is 0). */
        public double usedPercentage() {
            return limit == 0 ? 100.0 : 100.0 * used / limit;
        }
    }

    /**
     * The upstream answered 401 or 403: the configured key is invalid or lacks a permission.
     *
     * @param httpStatus the upstream status
     * @param reason the upstream's {@code detail.status} or a short description
     * @param at when the poll finished
     */
    record Rejected(int httpStatus, String reason, Instant at) implements QuotaStatus {
        /** Creates a rejected-key result. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * No usable answer: network error, timeout, a 5xx or a body that could not be read.
     *
     * @param reason what went wrong, without any secret
     * @param at when the poll finished
     */
    record Unreachable(String reason, Instant at) implements QuotaStatus {
        /** Creates an unreachable result. */
        public Unreachable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /** No poll has finished yet. */
    final class Unknown implements QuotaStatus {
        static final Unknown INSTANCE = new Unknown();

        private Unknown() {
        }

        @Override
        public Instant at() {
            return Instant.EPOCH;
        }

        @Override
        public String toString() {
            return "Unknown";
        }
    }
}
