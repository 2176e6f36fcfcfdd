package dev.xigate.bench.suite;

import dev.xigate.plan.ModelFamily;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.LatencyProfile;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a simulator for the benchmark suite in its own JVM until the process is stopped: {@code PORT PLAN MODE},
 * where MODE is {@code fast} (no simulated delay) or {@code fixed:<ms>} (every family answers after exactly that
 * many milliseconds, so the physical limit is {@code limit / ms}).
 */
public final class SimulatorMain {
    private SimulatorMain() {
    }

    /** Starts the simulator and blocks. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            throw new IllegalArgumentException("arguments: " + args.length + " (expected: PORT PLAN fast|fixed:MS)");
        }
        SimulatorConfig.Builder builder = SimulatorConfig.builder().port(Integer.parseInt(args[0]))
                .plan(PlanTier.fromLabel(args[1]));
        if (args[2].equals("fast")) {
            builder.latencyScale(0);
        } else if (args[2].startsWith("fixed:")) {
            long millis = Long.parseLong(args[2].substring("fixed:".length()));
            for (ModelFamily family : ModelFamily.values()) {
                builder.latency(family, new LatencyProfile(Duration.ofMillis(millis), Duration.ZERO, 0));
            }
        } else {
            throw new IllegalArgumentException("mode: " + args[2] + " (expected: fast or fixed:MS)");
        }
        Simulator simulator = Simulator.start(builder.build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "simulator-stop"));
        System.out.println("bench simulator listening on " + simulator.baseUri() + " plan " + args[1] + " " + args[2]);
        stopped.await();
    }
}
