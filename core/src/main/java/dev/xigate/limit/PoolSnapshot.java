package dev.xigate.limit;

import dev.xigate.plan.ModelFamily;
import java.time.Duration;
import java.util.List;

/**
 * Returns the state of one family's pool at one moment, for metrics, the dashboard and tests.
 *
 * @param family the family
 * @param limit the limit in force now (after adaptation)
 * @param configuredLimit the limit from the configuration (plan table or explicit)
 * @param maximumLimit the ceiling the limit may grow back to: the upstream's maximum once learned, else configured
 * @param inFlight permits held now
 * @param queued requests waiting now
 * @param queuedByPriority requests waiting now per priority level, index 0 the highest
 * @param maxQueue the queue's capacity
 * @param maxWait the longest a request waits before {@link RejectReason#QUEUE_TIMEOUT}
 * @param averageHold the average time a permit was held (an estimate used for expected waits)
 */
public record PoolSnapshot(ModelFamily family, int limit, int configuredLimit, int maximumLimit, int inFlight,
        int queued, List<Integer> queuedByPriority, int maxQueue, Duration maxWait, Duration averageHold) {
    /** Creates a snapshot. */
    public PoolSnapshot {
        queuedByPriority = List.copyOf(queuedByPriority);
    }
}
