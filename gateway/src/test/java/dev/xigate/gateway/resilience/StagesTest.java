package dev.xigate.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.cache.AudioRequest;
import dev.xigate.cache.CacheConfig;
import dev.xigate.cache.CacheKey;
import dev.xigate.cache.CachePolicy;
import dev.xigate.cache.MemoryAudioCache;
import dev.xigate.gateway.auth.ClientIdentity;
import dev.xigate.gateway.proxy.ExchangeContext;
import dev.xigate.gateway.upstream.GatewayRejection;
import dev.xigate.gateway.upstream.AttemptTimeout;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamRequest;
import dev.xigate.gateway.upstream.UpstreamResponse;
import dev.xigate.plan.ModelFamily;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway stages on their own, around scripted next stages. */
class StagesTest {
    private static final String PATH = "/v1/text-to-speech/voice1/stream";
    private static final byte[] BODY = "{\"text\":\"hi\",\"model_id\":\"eleven_flash_v2_5\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static UpstreamRequest request(Map<String, List<String>> headers) {
        ExchangeContext context = new ExchangeContext("req-1", ClientIdentity.ANONYMOUS, "text_to_speech_stream",
                ModelFamily.TURBO_FLASH, "eleven_flash_v2_5", 1, null, 2, () -> true, null, null);
        return new UpstreamRequest("POST", PATH, headers, BODY, context);
    }

    @Test
    void capturingStreamHandsOverCompleteBodyOnly() throws Exception {
        AtomicReference<byte[]> captured = new AtomicReference<>();
        InputStream small = new CapturingStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), 10, captured::set);
        InputStream large = new CapturingStream(new ByteArrayInputStream(new byte[20]), 10,
                bytes -> captured.set(new byte[] {9}));

        assertThat(small.readAllBytes()).containsExactly(1, 2, 3);
        assertThat(captured.get()).containsExactly(1, 2, 3);
        assertThat(large.readAllBytes()).hasSize(20);
        assertThat(captured.get()).containsExactly(1, 2, 3);
    }

    @Test
    void cacheStepWithoutCoalescingStoresStreamedAnswer() throws Exception {
        MemoryAudioCache cache = new MemoryAudioCache(1 << 20, Duration.ofHours(1), System::nanoTime);
        AudioCacheStep step = new AudioCacheStep(cache, new CachePolicy(CacheConfig.ofDefaults()), null,
                Clock.systemUTC());
        UpstreamCall upstream = request -> UpstreamResponse.buffered(200, Map.of("content-type",
                List.of("audio/mpeg")), new byte[] {4, 5, 6});

        try (UpstreamResponse response = step.wrap(upstream).send(request(Map.of()))) {
            assertThat(response.body().readAllBytes()).containsExactly(4, 5, 6);
            assertThat(response.header("x-xigate-cache")).contains("miss");
        }

        CacheKey key = AudioRequest.parse(PATH, BODY).orElseThrow().key();
        assertThat(cache.get(key)).isPresent();
        assertThat(cache.get(key).orElseThrow().body()).containsExactly(4, 5, 6);
    }

    @Test
    void cacheStepRejectsUnknownDirectiveInErrorShape() {
        AudioCacheStep step = new AudioCacheStep(new MemoryAudioCache(1000, Duration.ofHours(1), System::nanoTime),
                new CachePolicy(CacheConfig.ofDefaults()), null, Clock.systemUTC());

        assertThatThrownBy(() -> step.wrap(request -> {
            throw new AssertionError("must not be called");
        }).send(request(Map.of("x-xigate-cache", List.of("sometimes")))))
                .isInstanceOfSatisfying(GatewayRejection.class, rejection -> {
                    assertThat(rejection.error().httpStatus()).isEqualTo(400);
                    assertThat(rejection.error().param()).isEqualTo("x-xigate-cache");
                });
    }

    @Test
    void attemptTimeoutInterruptsSilentCallAndClosesLateAnswer() throws Exception {
        AttemptTimeoutStep step = new AttemptTimeoutStep(threads);
        CountDownLatch interrupted = new CountDownLatch(1);
        UpstreamCall silent = request -> {
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return UpstreamResponse.buffered(200, Map.of(), new byte[0]);
        };

        AttemptTimeout.set(Duration.ofMillis(50));
        try {
            assertThatThrownBy(() -> step.wrap(silent).send(request(Map.of())))
                    .isInstanceOf(HttpTimeoutException.class);
        } finally {
            AttemptTimeout.set(null);
        }

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void attemptTimeoutPassesThroughWhenUnset() throws Exception {
        AttemptTimeoutStep step = new AttemptTimeoutStep(threads);
        UpstreamCall quick = request -> UpstreamResponse.buffered(201, Map.of(), new byte[0]);

        try (UpstreamResponse response = step.wrap(quick).send(request(Map.of()))) {
            assertThat(response.status()).isEqualTo(201);
        }
    }

    @Test
    void attemptTimeoutLeavesTheWaitToACallThatBoundsItItself() throws Exception {
        AttemptTimeoutStep step = new AttemptTimeoutStep(threads);
        Thread caller = Thread.currentThread();
        UpstreamCall selfBounded = new UpstreamCall() {
            @Override
            public UpstreamResponse send(UpstreamRequest request) {
                // Same thread, and the attempt's timeout is there for the call to apply.
                assertThat(Thread.currentThread()).isSameAs(caller);
                assertThat(AttemptTimeout.within(Duration.ofMinutes(4))).isEqualTo(Duration.ofMillis(50));
                return UpstreamResponse.buffered(200, Map.of(), new byte[0]);
            }

            @Override
            public boolean honoursAttemptTimeout() {
                return true;
            }
        };

        assertThat(step.wrap(selfBounded)).isSameAs(selfBounded);
        AttemptTimeout.set(Duration.ofMillis(50));
        try (UpstreamResponse response = step.wrap(selfBounded).send(request(Map.of()))) {
            assertThat(response.status()).isEqualTo(200);
        } finally {
            AttemptTimeout.set(null);
        }
        assertThat(AttemptTimeout.current()).isEmpty();
    }
}
