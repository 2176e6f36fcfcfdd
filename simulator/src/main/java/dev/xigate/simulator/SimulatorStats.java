package dev.xigate.simulator;

import dev.xigate.plan.ModelFamily;
import java.util.Map;

/**
 * Returns what the simulator has seen since start or the last reset, per model family. Immutable snapshot.
 *
 * @param families the statistics of each family (every family is present)
 * @param otherRequests requests to non-generation endpoints (voices, models, user) and unknown paths
 * @param webSocketSessions WebSocket sessions open right now
 */
public record SimulatorStats(Map<ModelFamily, FamilyStats> families, long otherRequests, int webSocketSessions) {
    /** Creates a snapshot. */
    public SimulatorStats {
        families = Map.copyOf(families);
    }

    /** Returns the statistics of one family. */
    public FamilyStats family(ModelFamily family) {
        return families.get(family);
    }

    /**
     * Returns the statistics of one model family.
     *
     * @param requests generation requests received (WebSocket sessions included)
     * @param responsesByStatus responses sent, by HTTP status (101 for WebSocket sessions)
     * @param throttled responses with status 429, of any kind
     * @param concurrencyRejections 429 answers because the concurrency limit was reached
     * @param currentConcurrency requests holding a slot right now (held slots not included)
     * @param maxConcurrency the highest {@code currentConcurrency} since start or the last reset
     * @param heldSlots slots held on behalf of "another client" ({@link Simulator#holdSlots})
     * @param limit the concurrency limit in effect for each key
     * @param characters characters of text turned into speech (or prompt characters, for sound and music)
     * @param busySlotNanos the time integral of {@code currentConcurrency} since start, in slot-nanoseconds (not
     *     reset): its growth over an interval divided by the interval and the limit is the exact mean utilization
     */
    public record FamilyStats(
            long requests,
            Map<Integer, Long> responsesByStatus,
            long throttled,
            long concurrencyRejections,
            int currentConcurrency,
            int maxConcurrency,
            int heldSlots,
            int limit,
            long characters,
            long busySlotNanos) {
        /** Creates family statistics. */
        public FamilyStats {
            responsesByStatus = Map.copyOf(responsesByStatus);
        }

        /** Returns how many responses had this status. */
        public long responses(int status) {
            return responsesByStatus.getOrDefault(status, 0L);
        }
    }
}
