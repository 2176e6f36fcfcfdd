package dev.xigate.gateway.resilience;

import dev.xigate.cache.AudioCache;
import dev.xigate.cache.AudioRequest;
import dev.xigate.cache.CacheDirective;
import dev.xigate.cache.CachePolicy;
import dev.xigate.cache.CachedAudio;
import dev.xigate.gateway.proxy.ClientGoneException;
import dev.xigate.gateway.upstream.AttemptTimeout;
import dev.xigate.gateway.upstream.GatewayRejection;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamInterceptor;
import dev.xigate.gateway.upstream.UpstreamRequest;
import dev.xigate.gateway.upstream.UpstreamResponse;
import dev.xigate.retry.CallResult;
import dev.xigate.retry.RetryAfterHeader;
import dev.xigate.retry.StreamWatchdog;
import dev.xigate.retry.UpstreamExecutor;
import dev.xigate.retry.UpstreamSlot;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs each upstream call of a request that needs a permit through the core's {@link UpstreamExecutor}: the
 * family's breaker first (an open one answers at once, without queueing), then attempts through admission and the
 * HTTP call, classified and retried within the request's limits and the shared budget; when retrying stops,
 * cached audio for the same request is served as a fallback ({@code x-xigate-cache: fallback}).
 *
 * <p>It sits before admission: each attempt takes a permit and gives it back when its answer is closed, so no
 * permit is held while a retry waits. Concurrency 429s are absorbed by admission itself (head-of-queue requeue);
 * the others reach this step and re-enter the queue after their wait. A successful body is handed on unread and
 * watched: cut or silent midway, it ends the client's stream and is counted. Thread-safe.
 */
public final class ResilienceStep implements UpstreamInterceptor {
    /** Response header: how many upstream attempts the request took. */
    public static final String ATTEMPTS_HEADER = "x-xigate-upstream-attempts";

    private static final UpstreamSlot.Source PIPELINE_SLOTS = maxWait -> new PipelineSlot();

    private final UpstreamExecutor executor;
    private final ResilienceSettings settings;
    private final AudioCache cache;
    private final CachePolicy cachePolicy;
    private final StreamWatchdog watchdog;
    private final Runnable onStreamFailure;

    /**
     * Creates the step.
     *
     * @param executor the resilient call executor
     * @param settings deadlines per endpoint
     * @param cache where fallback audio is looked up
     * @param watchdog watches successful bodies
     * @param onStreamFailure told about each body cut midway (metrics)
     */
    public ResilienceStep(UpstreamExecutor executor, ResilienceSettings settings, AudioCache cache,
            StreamWatchdog watchdog, Runnable onStreamFailure) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.cachePolicy = new CachePolicy(settings.cache());
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.onStreamFailure = Objects.requireNonNull(onStreamFailure, "onStreamFailure");
    }

    @Override
    public UpstreamCall wrap(UpstreamCall next) {
        return request -> request.exchange().needsPermit() ? send(request, next)
                : next.send(AudioCacheStep.withoutCacheHeader(request));
    }

    private UpstreamResponse send(UpstreamRequest original, UpstreamCall next)
            throws IOException, InterruptedException, GatewayRejection {
        CacheDirective directive = AudioCacheStep.directiveOf(original);
        UpstreamRequest request = AudioCacheStep.withoutCacheHeader(original);
        String requestId = request.exchange().requestId();
        dev.xigate.retry.UpstreamCall call = new dev.xigate.retry.UpstreamCall(requestId,
                request.exchange().family(), settings.deadlineOf(request.exchange().endpoint()),
                (attempt, timeout) -> attempt(request, next, timeout), fallbackFor(request, directive));
        CallResult result;
        try {
            result = executor.execute(call, PIPELINE_SLOTS);
        } catch (StageFailure failure) {
            throw failure.rethrow();
        }
        return switch (result) {
            case CallResult.Answered answered -> {
                request.exchange().responseHeaders().put(ATTEMPTS_HEADER, Integer.toString(answered.attempts()));
                InputStream body = answered.response().body();
                if (answered.response().status() < 300) {
                    body = watchdog.watch(requestId, body, onStreamFailure);
                }
                yield PipelineResponses.streaming(answered.response().status(), answered.response().headers(),
                        body);
            }
            case CallResult.Fallback fallback -> PipelineResponses.cached(fallback.audio(), CacheDirective.FALLBACK);
            case CallResult.Failed failed -> throw rejection(failed);
        };
    }

    private static dev.xigate.retry.UpstreamResponse attempt(UpstreamRequest request, UpstreamCall next,
            Duration timeout) throws IOException, InterruptedException {
        UpstreamResponse response;
        AttemptTimeout.set(timeout);
        try {
            response = next.send(request);
        } catch (GatewayRejection | ClientGoneException refused) {
            // Not an upstream failure: admission refused or the client left. Carry it past the executor unchanged.
            throw new StageFailure(refused);
        } finally {
            AttemptTimeout.set(null);
        }
        return new dev.xigate.retry.UpstreamResponse(response.status(), response.headers(),
                PipelineResponses.bodyClosing(response));
    }

    private Supplier<Optional<CachedAudio>> fallbackFor(UpstreamRequest request, CacheDirective directive) {
        return () -> {
            if (!"POST".equals(request.method())) {
                return Optional.empty();
            }
            Optional<AudioRequest> audio = AudioRequest.parse(request.pathAndQuery(), request.body());
            if (audio.isEmpty() || !cachePolicy.isCacheable(audio.get().query(), directive)) {
                return Optional.empty();
            }
            return cache.get(audio.get().key());
        };
    }

    private static GatewayRejection rejection(CallResult.Failed failed) {
        Map<String, String> headers = new LinkedHashMap<>();
        Duration retryAfter = failed.retryAfter();
        if (retryAfter != null) {
            headers.put("Retry-After", RetryAfterHeader.format(retryAfter));
        }
        return new GatewayRejection(failed.error(), headers);
    }

    /** Carries a stage's own refusal through the executor, which only knows upstream failures. */
    private static final class StageFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StageFailure(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }

        IOException rethrow() throws GatewayRejection {
            if (getCause() instanceof GatewayRejection rejection) {
                throw rejection;
            }
            return (IOException) getCause();
        }
    }

    /** Admission holds the real permit per attempt; the executor's slot is only a placeholder here. */
    private static final class PipelineSlot implements UpstreamSlot {
        @Override
        public void onUpstreamHeaders(int currentConcurrent, int maximumConcurrent) {
            // Admission feeds the permit itself.
        }

        @Override
        public void onConcurrencyRejected() {
            // Admission reports concurrency 429s to the pool itself.
        }

        @Override
        public Requeue requeueAtHead() {
            return new Requeue() {
                @Override
                public UpstreamSlot await(Duration maxWait) {
                    return new PipelineSlot();
                }

                @Override
                public void cancel() {
                    // Nothing was queued: the next attempt queues through admission.
                }
            };
        }

        @Override
        public void release() {
            // The attempt's answer releases the real permit when it is closed.
        }
    }
}
