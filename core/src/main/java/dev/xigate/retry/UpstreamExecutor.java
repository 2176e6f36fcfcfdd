package dev.xigate.retry;

import dev.xigate.cache.CachedAudio;
import dev.xigate.circuit.CircuitCall;
import dev.xigate.circuit.CircuitPermission;
import dev.xigate.circuit.CircuitState;
import dev.xigate.circuit.FamilyCircuitBreakers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the result of one client request's upstream call, made resilient: breaker check, slot, attempts,
 * classification, retries with backoff within the request's limits and the shared budget, and the cached-audio
 * fallback.
 *
 * <p>The family's breaker must permit the request (else it fails fast: cached audio, or 503
 * {@code circuit_open}) and gets the request's result once: served, or not served when retrying stopped on a 5xx,
 * network failure or timeout. Before each retry the breaker is checked again. Per attempt: a slot is taken if none
 * is held; the attempt waits for headers at most {@code min(attemptTimeout, time left)};
 * error bodies are read (bounded) to classify them. Success and client errors are answered at once. A 429 gives
 * its slot back and queues again at the head while it waits ({@code Retry-After} honoured), a concurrency 429 also
 * shrinks the pool; a 5xx or network failure keeps the slot while it backs off. When retrying stops, cached audio
 * is served if there is any, else the last upstream answer passes through unchanged, else xigate's own 502/504.
 * A request is only retried before anything was sent to the client, which holds by construction: the body of a
 * success is handed over unread. Thread-safe; one executor serves all requests.
 */
public final class UpstreamExecutor {
    /** The most bytes of an upstream error body read (and passed on). */
    public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private static final Logger logger = LoggerFactory.getLogger(UpstreamExecutor.class);

    private final RetryPolicy policy;
    private final FamilyCircuitBreakers breakers;
    private final Sleeper sleeper;
    private final LongSupplier nanoClock;
    private final Clock clock;
    private final RetryListener listener;

    /**
     * Creates an executor.
     *
     * @param policy retry rules and budget
     * @param breakers the per-family breakers
     * @param sleeper waits between attempts
     * @param nanoClock a monotonic clock for deadlines
     * @param clock wall time, for {@code Retry-After} dates
     * @param listener receives events for metrics and logs
     */
    public UpstreamExecutor(RetryPolicy policy, FamilyCircuitBreakers breakers, Sleeper sleeper,
            LongSupplier nanoClock, Clock clock, RetryListener listener) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Returns the policy. */
    public RetryPolicy policy() {
        return policy;
    }

    /** Returns the breakers. */
    public FamilyCircuitBreakers breakers() {
        return breakers;
    }

    /**
     * Returns the result of a request's upstream call.
     *
     * @param call the request
     * @param slots where the first slot (and any after a lost one) comes from
     * @throws InterruptedException if interrupted (no slot is then held)
     */
    public CallResult execute(UpstreamCall call, UpstreamSlot.Source slots) throws InterruptedException {
        policy.budget().recordRequest();
        Run run = new Run(call, nanoClock.getAsLong());
        CircuitPermission permission = breakers.tryEnter(call.family());
        if (permission instanceof CircuitPermission.Rejected rejected) {
            return circuitOpen(run, rejected.retryAfter());
        }
        CircuitCall circuitCall = ((CircuitPermission.Permitted) permission).call();
        try {
            CallResult result = loop(run, slots);
            recordOnBreaker(circuitCall, run, result);
            if (!(result instanceof CallResult.Answered)) {
                run.releaseSlot();
            }
            return result;
        } catch (InterruptedException | RuntimeException failure) {
            circuitCall.recordIgnored();
            run.releaseSlot();
            throw failure;
        }
    }

    private CallResult loop(Run run, UpstreamSlot.Source slots) throws InterruptedException {
        while (true) {
            if (run.attempts > 0 && run.remaining().isZero()) {
                // The wait for a slot used up the deadline: no time is left for another attempt.
                listener.onGiveUp(run.call.requestId(), run.call.family(), run.lastOutcome,
                        RetryDecision.Reason.DEADLINE_EXCEEDED);
                return giveUp(run);
            }
            if (run.attempts > 0 && breakers.state(run.call.family()) == CircuitState.OPEN) {
                // Other requests' failures opened the breaker while this one waited: stop calling the upstream.
                return circuitOpen(run, breakers.retryAfter(run.call.family()));
            }
            Optional<CallResult> refused = ensureSlot(run, slots);
            if (refused.isPresent()) {
                return refused.get();
            }
            attemptOnce(run);
            if (!run.lastOutcome.isRetryable()) {
                return new CallResult.Answered(run.lastResponse, run.slot, run.lastOutcome, run.attempts);
            }
            RetryDecision decision = policy.decide(run.attempts, run.elapsed(), run.call.deadline(), run.lastOutcome,
                    run.retryAfter, false);
            if (decision instanceof RetryDecision.GiveUp giveUp) {
                listener.onGiveUp(run.call.requestId(), run.call.family(), run.lastOutcome, giveUp.reason());
                logger.debug("{} Upstream retries stopped attempt={} outcome={} reason={}", run.call.requestId(),
                        run.attempts, run.lastOutcome, giveUp.reason().label());
                return giveUp(run);
            }
            Optional<CallResult> lost = waitBeforeRetry(run, ((RetryDecision.Retry) decision).delay());
            if (lost.isPresent()) {
                return lost.get();
            }
        }
    }

    private CallResult circuitOpen(Run run, Duration retryAfter) {
        listener.onCircuitOpen(run.call.requestId(), run.call.family());
        return fallbackOr(run, run.lastOutcome == null ? Outcome.SERVER_ERROR : run.lastOutcome,
                new CallResult.Failed(ResilienceErrors.circuitOpen(run.call.family(), retryAfter), retryAfter,
                        run.attempts));
    }

    /**
     * Records the request's result, not each attempt's: a request the upstream served (even after retries) is a
     * success, one it could not serve (5xx, network, timeout when retrying stopped) is a failure, the rest says
     * nothing about the upstream's health. Per-attempt counting would open the breaker at a 10 % error rate under
     * concurrency: fast-failing attempts are recorded before the slower successes started at the same time.
     */
    private static void recordOnBreaker(CircuitCall circuitCall, Run run, CallResult result) {
        if (result instanceof CallResult.Answered answered && answered.outcome() == Outcome.SUCCESS) {
            circuitCall.recordSuccess();
        } else if (run.lastOutcome != null && run.lastOutcome.isBreakerFailure()) {
            circuitCall.record(run.lastOutcome);
        } else {
            circuitCall.recordIgnored();
        }
    }

    private Optional<CallResult> ensureSlot(Run run, UpstreamSlot.Source slots) throws InterruptedException {
        if (run.slot != null) {
            return Optional.empty();
        }
        try {
            run.slot = slots.acquire(run.remaining());
            return Optional.empty();
        } catch (SlotUnavailableException refused) {
            return Optional.of(new CallResult.Failed(refused.error(), refused.retryAfter(), run.attempts));
        }
    }

    private void attemptOnce(Run run) throws InterruptedException {
        run.attempts++;
        run.retryAfter = null;
        Duration timeout = min(policy.config().attemptTimeout(), run.remaining());
        try {
            UpstreamResponse response = run.call.attempt().call(run.attempts, timeout);
            run.slot.onUpstreamHeaders(response.intHeader("current-concurrent-requests"),
                    response.intHeader("maximum-concurrent-requests"));
            if (response.status() >= 400) {
                UpstreamResponse.Buffered buffered = response.buffer(MAX_ERROR_BODY_BYTES);
                response = buffered.response();
                run.lastOutcome = OutcomeClassifier.classify(response.status(),
                        new String(buffered.bytes(), StandardCharsets.UTF_8), null);
                run.retryAfter = RetryAfterHeader.parse(response.header("retry-after"), clock.instant())
                        .orElse(null);
            } else {
                run.lastOutcome = Outcome.SUCCESS;
            }
            run.lastResponse = response;
        } catch (IOException failure) {
            run.lastOutcome = OutcomeClassifier.classify(failure);
            run.lastResponse = null;
            logger.debug("{} Upstream attempt failed attempt={} outcome={} error={}", run.call.requestId(),
                    run.attempts, run.lastOutcome, failure.toString());
        }
        listener.onAttempt(run.call.requestId(), run.call.family(), run.attempts, run.lastOutcome);
    }

    private Optional<CallResult> waitBeforeRetry(Run run, Duration delay) throws InterruptedException {
        Outcome outcome = run.lastOutcome;
        listener.onRetry(run.call.requestId(), run.call.family(), run.attempts, outcome, delay);
        logger.debug("{} Upstream retry scheduled attempt={} delayMs={} outcome={}", run.call.requestId(),
                run.attempts, delay.toMillis(), outcome);
        if (!outcome.isRateLimited()) {
            sleeper.sleep(delay);
            return Optional.empty();
        }
        if (outcome == Outcome.RATE_LIMITED_CONCURRENCY) {
            run.slot.onConcurrencyRejected();
        }
        // The slot goes back while we wait, and the request keeps its place at the head of its queue.
        UpstreamSlot.Requeue requeue = run.slot.requeueAtHead();
        run.slot = null;
        try {
            sleeper.sleep(delay);
            run.slot = requeue.await(run.remaining());
            return Optional.empty();
        } catch (SlotUnavailableException refused) {
            return Optional.of(new CallResult.Failed(refused.error(), refused.retryAfter(), run.attempts));
        } catch (InterruptedException | RuntimeException failure) {
            requeue.cancel();
            throw failure;
        }
    }

    private CallResult giveUp(Run run) {
        CallResult passThrough;
        if (run.lastResponse != null) {
            passThrough = new CallResult.Answered(run.lastResponse, run.slot, run.lastOutcome, run.attempts);
        } else {
            passThrough = new CallResult.Failed(run.lastOutcome == Outcome.TIMEOUT
                    ? ResilienceErrors.upstreamTimeout(run.attempts)
                    : ResilienceErrors.upstreamUnavailable(run.attempts), null, run.attempts);
        }
        return fallbackOr(run, run.lastOutcome, passThrough);
    }

    private CallResult fallbackOr(Run run, Outcome cause, CallResult otherwise) {
        Optional<CachedAudio> cached = run.call.fallback().get();
        if (cached.isEmpty()) {
            return otherwise;
        }
        listener.onFallback(run.call.requestId(), run.call.family(), cause);
        logger.debug("{} Cached audio served as fallback outcome={} attempts={}", run.call.requestId(), cause,
                run.attempts);
        run.releaseSlot();
        return new CallResult.Fallback(cached.get(), cause);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** One request's progress; confined to the request's thread. */
    private final class Run {
        private final UpstreamCall call;
        private final long startNanos;
        private int attempts;
        private UpstreamSlot slot;
        private Outcome lastOutcome;
        private UpstreamResponse lastResponse;
        private Duration retryAfter;

        private Run(UpstreamCall call, long startNanos) {
            this.call = call;
            this.startNanos = startNanos;
        }

        private Duration elapsed() {
            return Duration.ofNanos(nanoClock.getAsLong() - startNanos);
        }

        private Duration remaining() {
            Duration left = call.deadline().minus(elapsed());
            return left.isNegative() ? Duration.ZERO : left;
        }

        private void releaseSlot() {
            if (slot != null) {
                slot.release();
                slot = null;
            }
        }
    }
}
