package dev.xigate.health;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the registered checks and combines them into a {@link HealthReport}: the answers of {@code /health/ready}
 * and {@code /health/live}.
 *
 * <p>All checks run concurrently on virtual threads, each bounded by the timeout: a check that hangs is reported
 * {@code DOWN} ("no answer within ..."), one that throws is {@code DOWN} with the exception's message, so
 * {@code /health/ready} always answers within about one timeout. Thread-safe; {@link #close()} stops the executor.
 */
public final class HealthAggregator implements AutoCloseable {
    private final List<HealthCheck> checks;
    private final Duration timeout;
    private final InstantSource clock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Creates an aggregator over the checks.
     *
     * @throws IllegalArgumentException if two checks share a name or the timeout is not positive
     */
    public HealthAggregator(List<HealthCheck> checks, Duration timeout, InstantSource clock) {
        this.checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        long distinct = this.checks.stream().map(HealthCheck::name).distinct().count();
        if (distinct != this.checks.size()) {
            throw new IllegalArgumentException("checks: " + this.checks.stream().map(HealthCheck::name).toList()
                    + " (expected: distinct names)");
        }
    }

    /** Returns the liveness report: the process answers, so it is up; it runs no checks. */
    public HealthReport live() {
        return new HealthReport(clock.instant(), Map.of("process", CheckResult.up("accepting requests")));
    }

    /** Returns the readiness report: every check's result, run now. */
    public HealthReport ready() {
        Map<String, CompletableFuture<CheckResult>> running = new LinkedHashMap<>();
        for (HealthCheck check : checks) {
            running.put(check.name(), CompletableFuture.supplyAsync(check::check, executor));
        }
        awaitAll(running.values());
        Map<String, CheckResult> results = new LinkedHashMap<>();
        running.forEach((name, future) -> results.put(name, resultOf(future)));
        return new HealthReport(clock.instant(), results);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void awaitAll(Collection<CompletableFuture<CheckResult>> running) {
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException ignored) {
            // Each future is judged on its own below: late ones are down, failed ones say why.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CheckResult resultOf(CompletableFuture<CheckResult> future) {
        if (!future.isDone()) {
            future.cancel(true);
            return CheckResult.down("no answer within " + timeout.toMillis() + " ms");
        }
        try {
            CheckResult result = future.getNow(null);
            return result == null ? CheckResult.down("check returned no result") : result;
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return CheckResult.down("check failed: " + cause);
        }
    }
}
