package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.cache.CachedAudio;
import dev.xigate.circuit.CircuitConfig;
import dev.xigate.circuit.CircuitState;
import dev.xigate.circuit.FamilyCircuitBreakers;
import dev.xigate.circuit.SlowStart;
import dev.xigate.error.ApiError;
import dev.xigate.plan.ModelFamily;
import dev.xigate.testing.FakeTime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class UpstreamExecutorTest {
    private static final ModelFamily FAMILY = ModelFamily.MULTILINGUAL;
    private static final String CONCURRENCY_BODY = "{\"detail\":{\"status\":\"too_many_concurrent_requests\"}}";
    private static final String BUSY_BODY = "{\"detail\":{\"status\":\"system_busy\"}}";
    private static final CachedAudio CACHED = new CachedAudio("audio/mpeg", new byte[] {9, 9}, Instant.EPOCH);

    private final FakeTime time = new FakeTime();
    private final List<Duration> sleeps = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final FakeSlots slots = new FakeSlots();
    private final FamilyCircuitBreakers breakers = new FamilyCircuitBreakers(CircuitConfig.ofDefaults(),
            time.clock(), new SlowStart(Duration.ZERO, time.nanoClock()));
    private RetryConfig config = RetryConfig.ofDefaults();

    private UpstreamExecutor executor() {
        RetryBudget budget = new RetryBudget(config.budgetRatio(), config.budgetMinRetries(), config.budgetWindow(),
                time.nanoClock());
        RandomGenerator noJitter = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0.0;
            }
        };
        Sleeper sleeper = duration -> {
            sleeps.add(duration);
            time.advance(duration);
        };
        RetryListener listener = new RetryListener() {
            @Override
            public void onRetry(String requestId, ModelFamily family, int attempt, Outcome outcome, Duration d) {
                events.add("retry:" + outcome);
            }

            @Override
            public void onGiveUp(String requestId, ModelFamily family, Outcome outcome, RetryDecision.Reason r) {
                events.add("giveup:" + r.label());
            }

            @Override
            public void onFallback(String requestId, ModelFamily family, Outcome cause) {
                events.add("fallback:" + cause);
            }

            @Override
            public void onCircuitOpen(String requestId, ModelFamily family) {
                events.add("circuit_open");
            }
        };
        return new UpstreamExecutor(new RetryPolicy(config, budget, noJitter), breakers, sleeper, time.nanoClock(),
                time.clock(), listener);
    }

    /** Scripted upstream: each attempt takes the next step (a response or an exception). */
    private final class Script implements UpstreamCall.Attempt {
        final Deque<Object> steps = new ArrayDeque<>();
        Duration takes = Duration.ZERO;
        final List<Duration> timeouts = new ArrayList<>();
        int calls;

        Script then(int status, String body, Map<String, List<String>> headers) {
            steps.add(new UpstreamResponse(status, headers,
                    new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
            return this;
        }

        Script then(int status, String body) {
            return then(status, body, Map.of());
        }

        Script thenFail(IOException failure) {
            steps.add(failure);
            return this;
        }

        @Override
        public UpstreamResponse call(int attemptNumber, Duration timeout) throws IOException {
            calls++;
            timeouts.add(timeout);
            time.advance(takes);
            Object step = steps.size() > 1 ? steps.poll() : steps.peek();
            if (step instanceof IOException failure) {
                throw failure;
            }
            UpstreamResponse response = (UpstreamResponse) step;
            return new UpstreamResponse(response.status(), response.headers(),
                    new ByteArrayInputStream(bodyOf(response)));
        }

        private static byte[] bodyOf(UpstreamResponse response) {
            try {
                response.body().mark(Integer.MAX_VALUE);
                byte[] bytes = response.body().readAllBytes();
                response.body().reset();
                return bytes;
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** Counts slots handed out and given back; every slot must end up released or requeued. */
    private static final class FakeSlots implements UpstreamSlot.Source {
        int acquired;
        int released;
        int requeued;
        int shrinks;
        final List<String> headers = new ArrayList<>();
        SlotUnavailableException refuseRequeue;

        @Override
        public UpstreamSlot acquire(Duration maxWait) {
            acquired++;
            return new Slot();
        }

        int held() {
            return acquired - released - requeued;
        }

        private final class Slot implements UpstreamSlot {
            private boolean done;

            @Override
            public void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent) {
                headers.add(currentConcurrent + "/" + maximumConcurrent);
            }

            @Override
            public void onConcurrencyRejected() {
                shrinks++;
            }

            @Override
            public Requeue requeueAtHead() {
                done = true;
                requeued++;
                return new Requeue() {
                    @Override
                    public UpstreamSlot await(Duration maxWait) throws SlotUnavailableException {
                        if (refuseRequeue != null) {
                            throw refuseRequeue;
                        }
                        acquired++;
                        return new Slot();
                    }

                    @Override
                    public void cancel() {
                    }
                };
            }

            @Override
            public void release() {
                if (!done) {
                    done = true;
                    released++;
                }
            }
        }
    }

    private CallResult run(Script script) throws InterruptedException {
        return run(script, Optional.empty());
    }

    private CallResult run(Script script, Optional<CachedAudio> cached) throws InterruptedException {
        UpstreamCall call = new UpstreamCall("req-1", FAMILY, config.overallDeadline(), script, () -> cached);
        return executor().execute(call, slots);
    }

    private static String body(CallResult result) throws IOException {
        return new String(((CallResult.Answered) result).response().body().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void releaseAnswered(CallResult result) {
        ((CallResult.Answered) result).slot().release();
    }

    @Test
    void successPassesThroughWithSlotStillHeld() throws Exception {
        Script script = new Script().then(200, "audio", Map.of("current-concurrent-requests", List.of("2"),
                "maximum-concurrent-requests", List.of("10")));

        CallResult result = run(script);

        assertThat(result).isInstanceOf(CallResult.Answered.class);
        assertThat(((CallResult.Answered) result).outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(body(result)).isEqualTo("audio");
        assertThat(slots.held()).isEqualTo(1);
        assertThat(slots.headers).containsExactly("2/10");
        releaseAnswered(result);
        assertThat(slots.held()).isZero();
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoff() throws Exception {
        Script script = new Script().then(500, "{}").then(502, "{}").then(200, "audio");

        CallResult result = run(script);

        assertThat(body(result)).isEqualTo("audio");
        assertThat(script.calls).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(slots.acquired).isEqualTo(1);
    }

    @Test
    void clientErrorGoesBackUnchangedAfterOneAttempt() throws Exception {
        String error = "{\"detail\":{\"status\":\"voice_not_found\",\"message\":\"no such voice\"}}";
        Script script = new Script().then(404, error, Map.of("x-trace-id", List.of("abc")));

        CallResult result = run(script);

        assertThat(script.calls).isEqualTo(1);
        assertThat(((CallResult.Answered) result).response().status()).isEqualTo(404);
        assertThat(((CallResult.Answered) result).response().header("X-Trace-Id")).isEqualTo("abc");
        assertThat(body(result)).isEqualTo(error);
        assertThat(sleeps).isEmpty();
        releaseAnswered(result);
        assertThat(slots.held()).isZero();
    }

    @Test
    void concurrencyRateLimitShrinksPoolAndRequeuesAtHead() throws Exception {
        Script script = new Script().then(429, CONCURRENCY_BODY).then(200, "audio");

        CallResult result = run(script);

        assertThat(body(result)).isEqualTo("audio");
        assertThat(slots.shrinks).isEqualTo(1);
        assertThat(slots.requeued).isEqualTo(1);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
        releaseAnswered(result);
        assertThat(slots.held()).isZero();
    }

    @Test
    void busyRateLimitRequeuesWithoutShrinkingAndHonoursRetryAfter() throws Exception {
        Script script = new Script().then(429, BUSY_BODY, Map.of("Retry-After", List.of("3"))).then(200, "audio");

        CallResult result = run(script);

        assertThat(body(result)).isEqualTo("audio");
        assertThat(slots.shrinks).isZero();
        assertThat(slots.requeued).isEqualTo(1);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
        releaseAnswered(result);
    }

    @Test
    void limiterRefusingRequeueEndsWithItsError() throws Exception {
        slots.refuseRequeue = new SlotUnavailableException(ApiError.of(429, "rate_limit_error", "queue_full",
                "queue full"), Duration.ofSeconds(2));
        Script script = new Script().then(429, BUSY_BODY);

        CallResult result = run(script);

        assertThat(result).isEqualTo(new CallResult.Failed(slots.refuseRequeue.error(), Duration.ofSeconds(2), 1));
        assertThat(slots.held()).isZero();
    }

    @Test
    void networkErrorsUseLinearBackoffThenGive502() throws Exception {
        Script script = new Script().thenFail(new ConnectException("Connection refused"));

        CallResult result = run(script);

        assertThat(script.calls).isEqualTo(4);
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(1500));
        assertThat(result).isInstanceOf(CallResult.Failed.class);
        ApiError error = ((CallResult.Failed) result).error();
        assertThat(error.httpStatus()).isEqualTo(502);
        assertThat(error.status()).isEqualTo("upstream_unavailable");
        assertThat(events).contains("giveup:attempts_exhausted");
        assertThat(slots.held()).isZero();
    }

    @Test
    void timeoutsEndWith504() throws Exception {
        Script script = new Script().thenFail(new HttpTimeoutException("request timed out"));

        CallResult result = run(script);

        assertThat(((CallResult.Failed) result).error().httpStatus()).isEqualTo(504);
        assertThat(((CallResult.Failed) result).error().status()).isEqualTo("upstream_timeout");
    }

    @Test
    void attemptTimeoutNeverExceedsTimeLeft() throws Exception {
        config = config.toBuilder().overallDeadline(Duration.ofSeconds(20)).attemptTimeout(Duration.ofSeconds(15))
                .build();
        Script script = new Script().thenFail(new ConnectException()).then(200, "audio");
        script.takes = Duration.ofSeconds(10);

        releaseAnswered(run(script));

        assertThat(script.timeouts).containsExactly(Duration.ofSeconds(15), Duration.ofMillis(9_500));
    }

    @Test
    void exhaustedServerErrorsPassLastAnswerThrough() throws Exception {
        Script script = new Script().then(503, "{\"detail\":{\"status\":\"overloaded\"}}");

        CallResult result = run(script);

        assertThat(script.calls).isEqualTo(4);
        assertThat(((CallResult.Answered) result).response().status()).isEqualTo(503);
        assertThat(body(result)).isEqualTo("{\"detail\":{\"status\":\"overloaded\"}}");
        releaseAnswered(result);
        assertThat(slots.held()).isZero();
    }

    @Test
    void exhaustedServerErrorsServeCachedAudio() throws Exception {
        Script script = new Script().then(500, "{}");

        CallResult result = run(script, Optional.of(CACHED));

        assertThat(result).isEqualTo(new CallResult.Fallback(CACHED, Outcome.SERVER_ERROR));
        assertThat(events).contains("fallback:SERVER_ERROR");
        assertThat(slots.held()).isZero();
    }

    @Test
    void openCircuitFailsFastWithoutUpstreamCall() throws Exception {
        config = config.toBuilder().maxAttempts(1).build();
        for (int i = 0; i < 5; i++) {
            run(new Script().thenFail(new ConnectException()));
        }
        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.OPEN);
        Script untouched = new Script().then(200, "audio");
        int acquiredBefore = slots.acquired;

        CallResult result = run(untouched);

        assertThat(untouched.calls).isZero();
        assertThat(slots.acquired).isEqualTo(acquiredBefore);
        ApiError error = ((CallResult.Failed) result).error();
        assertThat(error.httpStatus()).isEqualTo(503);
        assertThat(error.status()).isEqualTo("circuit_open");
        assertThat(((CallResult.Failed) result).retryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(run(untouched, Optional.of(CACHED))).isInstanceOf(CallResult.Fallback.class);
    }

    @Test
    void breakerCountsRequestsNotAttempts() throws Exception {
        for (int i = 0; i < 10; i++) {
            Script flaky = new Script().then(500, "{}").then(502, "{}").then(503, "{}").then(200, "audio");

            releaseAnswered(run(flaky));

            assertThat(flaky.calls).isEqualTo(4);
        }

        assertThat(breakers.state(FAMILY)).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void breakerOpenedByOthersStopsRetriesOfRunningRequest() throws Exception {
        config = config.toBuilder().maxAttempts(1).build();
        UpstreamExecutor singleAttempt = executor();
        config = config.toBuilder().maxAttempts(10).build();
        Script others = new Script().thenFail(new ConnectException());
        Script script = new Script().then(500, "{}");
        UpstreamCall.Attempt opening = (number, timeout) -> {
            if (number == 2) {
                for (int i = 0; i < 5; i++) {
                    singleAttempt.execute(UpstreamCall.of("o" + i, FAMILY, Duration.ofSeconds(30), others), slots);
                }
            }
            return script.call(number, timeout);
        };

        CallResult result = executor().execute(UpstreamCall.of("r", FAMILY, Duration.ofSeconds(30), opening), slots);

        assertThat(script.calls).isEqualTo(2);
        assertThat(((CallResult.Failed) result).error().status()).isEqualTo("circuit_open");
        assertThat(events).contains("circuit_open");
        assertThat(slots.held()).isZero();
    }

    @Test
    void budgetCapsRetriesAcrossRequestsInOutage() throws Exception {
        config = config.toBuilder().budgetMinRetries(0).budgetRatio(0.2).build();
        RetryBudget budget = new RetryBudget(0.2, 0, Duration.ofMinutes(1), time.nanoClock());
        UpstreamExecutor shared = new UpstreamExecutor(new RetryPolicy(config, budget, RandomGenerator.of(
                "L64X128MixRandom")), new FamilyCircuitBreakers(CircuitConfig.ofDefaults().withFailureThreshold(10_000),
                time.clock(), new SlowStart(Duration.ZERO, time.nanoClock())), d -> { }, time.nanoClock(),
                time.clock(), RetryListener.NONE);
        Script outage = new Script().then(503, "{}");

        for (int i = 0; i < 100; i++) {
            CallResult result = shared.execute(UpstreamCall.of("r" + i, FAMILY, Duration.ofSeconds(30), outage),
                    slots);
            releaseAnswered(result);
        }

        assertThat(outage.calls).isEqualTo(100 + 20);
        assertThat(slots.held()).isZero();
    }

    @Test
    void interruptedWaitReleasesSlot() {
        Script script = new Script().then(500, "{}");
        UpstreamExecutor interrupting = new UpstreamExecutor(new RetryPolicy(config, new RetryBudget(0.2, 10,
                Duration.ofMinutes(1), time.nanoClock()), RandomGenerator.of("L64X128MixRandom")), breakers,
                d -> {
                    throw new InterruptedException();
                }, time.nanoClock(), time.clock(), RetryListener.NONE);

        assertThatThrownBy(() -> interrupting.execute(
                UpstreamCall.of("r", FAMILY, Duration.ofSeconds(30), script), slots))
                .isInstanceOf(InterruptedException.class);
        assertThat(slots.held()).isZero();
    }
}
