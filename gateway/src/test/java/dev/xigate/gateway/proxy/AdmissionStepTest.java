package dev.xigate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.gateway.auth.ClientIdentity;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamRequest;
import dev.xigate.gateway.upstream.UpstreamResponse;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.LimiterConfig;
import dev.xigate.plan.ModelFamily;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When the admission step gives its upstream slot back. */
class AdmissionStepTest {
    private static final ModelFamily FAMILY = ModelFamily.TURBO_FLASH;
    private static final byte[] BODY = "{\"text\":\"hi\",\"model_id\":\"eleven_flash_v2_5\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final Limiter limiter = Limiter.inMemory(LimiterConfig.builder().limit(FAMILY, 1).build());
    private final AdmissionStep step = new AdmissionStep(limiter, 3, Duration.ofMillis(50), System::nanoTime);

    @AfterEach
    void closeLimiter() {
        limiter.close();
    }

    private static UpstreamRequest request() {
        ExchangeContext context = new ExchangeContext("req-1", ClientIdentity.ANONYMOUS, "text_to_speech",
                FAMILY, "eleven_flash_v2_5", 1, null, 2, () -> true, null, null);
        return new UpstreamRequest("POST", "/v1/text-to-speech/voice1", Map.of(), BODY, context);
    }

    @Test
    void answerAlreadyInMemoryHoldsTheSlotUntilClosed() throws Exception {
        // The upstream counts a request until just after its last byte is written: giving the slot back when
        // the bytes arrive, before the stages above are done, let the next request in early enough to be refused
        // with 429 on loopback (bench/results/probes-2026-12-04c).
        UpstreamCall upstream = request -> UpstreamResponse.buffered(200, Map.of("content-type",
                List.of("audio/mpeg")), new byte[] {1, 2, 3});

        try (UpstreamResponse response = step.wrap(upstream).send(request())) {
            assertThat(response.body().readAllBytes()).containsExactly(1, 2, 3);
            assertThat(limiter.snapshot(FAMILY).inFlight()).isEqualTo(1);
        }
        assertThat(limiter.snapshot(FAMILY).inFlight()).isZero();
    }

    @Test
    void streamedAnswerGivesTheSlotBackOnceWhenClosed() throws Exception {
        UpstreamCall upstream = request -> new StillArriving(new ByteArrayInputStream(new byte[] {1, 2, 3}));

        UpstreamResponse response = step.wrap(upstream).send(request());
        assertThat(response.body().readAllBytes()).containsExactly(1, 2, 3);
        assertThat(limiter.snapshot(FAMILY).inFlight()).isEqualTo(1);
        response.close();
        assertThat(limiter.snapshot(FAMILY).inFlight()).isZero();
        response.close();
        assertThat(limiter.snapshot(FAMILY).inFlight()).isZero();
        // Closed twice, released once: a second request still gets the one slot, and only one.
        UpstreamResponse next = step.wrap(upstream).send(request());
        assertThat(limiter.snapshot(FAMILY).inFlight()).isEqualTo(1);
        next.close();
    }

    /** A streamed answer, whose body is read as it arrives. */
    private record StillArriving(InputStream body) implements UpstreamResponse {
        @Override
        public int status() {
            return 200;
        }

        @Override
        public Map<String, List<String>> headers() {
            return Map.of("content-type", List.of("audio/mpeg"));
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
