package dev.xigate.bench;

import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.limit.Permit;
import dev.xigate.limit.RatePolicy;
import dev.xigate.limit.Ticket;
import dev.xigate.plan.ModelFamily;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the heap used by 10,000 queued requests: used heap after a full GC before and after queueing them, in
 * three shapes (few clients, one client per request, one client per request with per-client rate policies). Prints
 * one JSON object; {@code run-jmh.sh} stores it in bench/results.
 */
public final class QueuedHeapHarness {
    private static final int QUEUED = 10_000;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private QueuedHeapHarness() {
    }

    /** Runs the three shapes and prints the result as JSON. */
    public static void main(String[] args) {
        List<String> rows = new ArrayList<>();
        rows.add(measure("10 clients", 10, false));
        rows.add(measure("10000 clients", QUEUED, false));
        rows.add(measure("10000 clients with rate policies", QUEUED, true));
        System.out.println("{\"queued\": " + QUEUED + ", \"targetBytes\": " + 100L * 1024 * 1024
                + ", \"shapes\": [" + String.join(", ", rows) + "]}");
    }

    private static String measure(String shape, int clients, boolean policies) {
        LimiterConfig.Builder config = LimiterConfig.builder().limit(ModelFamily.MULTILINGUAL, 1)
                .maxQueue(QUEUED).maxWait(Duration.ofHours(1));
        if (policies) {
            config.clientPolicies(RatePolicy.tokenBucket(100, 10), RatePolicy.characterBudget(1_000_000,
                    Duration.ofHours(1)));
        }
        Limiter limiter = Limiter.inMemory(config.build());
        Ticket holding = limiter.enqueue(AdmissionRequest.of(ModelFamily.MULTILINGUAL, 0, "holder", 0, "h"));
        Permit holder = ((Admission.Granted) holding.result().join()).permit();
        List<Ticket> tickets = new ArrayList<>(QUEUED);
        long before = usedAfterGc();
        // The requests themselves (ids, client names) are counted too: a gateway creates them per request anyway.
        for (int i = 0; i < QUEUED; i++) {
            tickets.add(limiter.enqueue(AdmissionRequest.of(ModelFamily.MULTILINGUAL, i % 3, "client-" + (i % clients),
                    100, "req-" + i)));
        }
        long after = usedAfterGc();
        int queued = limiter.snapshot(ModelFamily.MULTILINGUAL).queued();
        limiter.close();
        holder.release();
        long grown = after - before;
        return String.format(Locale.ROOT, "{\"shape\": \"%s\", \"queued\": %d, \"tickets\": %d, \"heapBefore\": %d,"
                + " \"heapAfter\": %d, \"growthBytes\": %d, \"bytesPerQueued\": %d}", shape, queued, tickets.size(),
                before, after, grown, grown / QUEUED);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
