package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.circuit.CircuitConfig;
import dev.xigate.circuit.FamilyCircuitBreakers;
import dev.xigate.circuit.SlowStart;
import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.limit.Ticket;
import dev.xigate.plan.ModelFamily;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimiterSlotsTest {
    private static final ModelFamily FAMILY = ModelFamily.MULTILINGUAL;

    private final Limiter limiter = Limiter.inMemory(LimiterConfig.builder().limit(FAMILY, 1).build());
    private final UpstreamExecutor executor = new UpstreamExecutor(
            new RetryPolicy(RetryConfig.ofDefaults(), new RetryBudget(0.2, 10, Duration.ofMinutes(1),
                    System::nanoTime), RandomGenerator.of("L64X128MixRandom")),
            new FamilyCircuitBreakers(CircuitConfig.ofDefaults(), Clock.systemUTC(),
                    new SlowStart(Duration.ZERO, System::nanoTime)),
            duration -> { }, System::nanoTime, Clock.systemUTC(), RetryListener.NONE);

    @AfterEach
    void closeLimiter() {
        limiter.close();
    }

    private static UpstreamResponse answer(int status, String body) {
        return new UpstreamResponse(status, Map.of(), new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private LimiterSlots slotsFor(String requestId) {
        return new LimiterSlots(limiter, AdmissionRequest.of(FAMILY, 1, "app", 10, requestId), null, System::nanoTime);
    }

    @Test
    void rateLimitedRequestKeepsItsPlaceAheadOfLaterArrivals() throws Exception {
        List<String> seen = new ArrayList<>();
        Ticket[] later = new Ticket[1];
        UpstreamCall.Attempt attempt = (number, timeout) -> {
            if (number == 1) {
                later[0] = limiter.enqueue(AdmissionRequest.of(FAMILY, 1, "app", 10, "later"));
                return answer(429, "{\"detail\":{\"status\":\"system_busy\"}}");
            }
            seen.add("retry ran while later was granted=" + later[0].result().isDone());
            return answer(200, "audio");
        };

        CallResult result = executor.execute(UpstreamCall.of("first", FAMILY, Duration.ofSeconds(30), attempt),
                slotsFor("first"));

        assertThat(seen).containsExactly("retry ran while later was granted=false");
        ((CallResult.Answered) result).slot().release();
        Admission admission = later[0].result().get(10, TimeUnit.SECONDS);
        assertThat(admission).isInstanceOf(Admission.Granted.class);
        ((Admission.Granted) admission).permit().release();
        assertThat(limiter.snapshot(FAMILY).inFlight()).isZero();
    }

    @Test
    void everyPathGivesPermitBack() throws Exception {
        UpstreamCall.Attempt failing = (number, timeout) -> answer(500, "{}");

        CallResult result = executor.execute(UpstreamCall.of("r", FAMILY, Duration.ofSeconds(30), failing),
                slotsFor("r"));
        ((CallResult.Answered) result).slot().release();
        CallResult concurrency = executor.execute(UpstreamCall.of("c", FAMILY, Duration.ofSeconds(30),
                (n, t) -> n < 3 ? answer(429, "{\"detail\":{\"status\":\"too_many_concurrent_requests\"}}")
                        : answer(200, "ok")), slotsFor("c"));
        ((CallResult.Answered) concurrency).slot().release();

        assertThat(limiter.snapshot(FAMILY).inFlight()).isZero();
    }

    @Test
    void limiterRejectionBecomesApiError() throws Exception {
        limiter.close();

        CallResult result = executor.execute(UpstreamCall.of("r", FAMILY, Duration.ofSeconds(30),
                (n, t) -> answer(200, "never")), slotsFor("r"));

        assertThat(result).isInstanceOf(CallResult.Failed.class);
        assertThat(((CallResult.Failed) result).error().httpStatus()).isEqualTo(503);
        assertThat(((CallResult.Failed) result).error().status()).isEqualTo("shutting_down");
    }

    @Test
    void waitThatRunsOutLeavesQueue() throws Exception {
        Admission held = limiter.acquire(AdmissionRequest.of(FAMILY, 1, "app", 10, "holder"));

        CallResult result = executor.execute(UpstreamCall.of("r", FAMILY, Duration.ofMillis(50),
                (n, t) -> answer(200, "never")), slotsFor("r"));

        assertThat(((CallResult.Failed) result).error().status()).isEqualTo("queue_timeout");
        assertThat(limiter.snapshot(FAMILY).queued()).isZero();
        ((Admission.Granted) held).permit().release();
    }

    @Test
    void rampingPoolGatesSlotsAfterPermit() throws Exception {
        SlowStart slowStart = new SlowStart(Duration.ofMinutes(10), System::nanoTime);
        Limiter wide = Limiter.inMemory(LimiterConfig.builder().limit(FAMILY, 10).build());
        slowStart.begin(FAMILY);
        LimiterSlots slots = new LimiterSlots(wide, AdmissionRequest.of(FAMILY, 1, "app", 0, "a"), slowStart,
                System::nanoTime);

        UpstreamSlot first = slots.acquire(Duration.ofSeconds(1));
        try {
            slots.acquire(Duration.ofMillis(30));
            throw new AssertionError("second slot should wait for the ramp");
        } catch (SlotUnavailableException expected) {
            assertThat(expected.error().status()).isEqualTo("queue_timeout");
        }
        assertThat(wide.snapshot(FAMILY).inFlight()).isEqualTo(1);
        first.release();
        assertThat(wide.snapshot(FAMILY).inFlight()).isZero();
        wide.close();
    }
}
