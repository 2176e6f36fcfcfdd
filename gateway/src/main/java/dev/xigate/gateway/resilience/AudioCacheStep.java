package dev.xigate.gateway.resilience;

import dev.xigate.cache.AudioCache;
import dev.xigate.cache.AudioRequest;
import dev.xigate.cache.CacheDirective;
import dev.xigate.cache.CacheKey;
import dev.xigate.cache.CachePolicy;
import dev.xigate.cache.CachedAudio;
import dev.xigate.coalesce.Coalescer;
import dev.xigate.coalesce.FlightHead;
import dev.xigate.coalesce.FlightSource;
import dev.xigate.error.ApiError;
import dev.xigate.gateway.proxy.ExchangeContext;
import dev.xigate.gateway.upstream.GatewayRejection;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamInterceptor;
import dev.xigate.gateway.upstream.UpstreamRequest;
import dev.xigate.gateway.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Serves text-to-speech requests from the audio cache when the client prefers it, makes identical requests in
 * flight share one upstream call, and stores complete successful answers in the cache.
 *
 * <p>Runs first, before admission. {@code x-xigate-cache: prefer} answers a hit without calling the upstream
 * ({@code x-xigate-cache: hit}); {@code bypass} skips this stage and the cache entirely; requests asking for zero
 * retention ({@code enable_logging=false}) are neither cached nor coalesced unless the config allows caching them.
 * The shared call keeps queueing while any of its clients is still connected. Thread-safe.
 */
public final class AudioCacheStep implements UpstreamInterceptor {
    /** Response header: {@code leader} for the request that made the shared call, {@code joined} for the others. */
    public static final String COALESCED_HEADER = "x-xigate-coalesced";

    private final AudioCache cache;
    private final CachePolicy policy;
    private final Coalescer coalescer;
    private final Clock clock;
    private final Map<CacheKey, Set<BooleanSupplier>> watchers = new ConcurrentHashMap<>();

    /**
     * Creates the stage.
     *
     * @param cache the audio cache
     * @param policy what may be cached
     * @param coalescer shares identical calls, or {@code null} to call the upstream per request
     * @param clock stamps stored audio
     */
    public AudioCacheStep(AudioCache cache, CachePolicy policy, Coalescer coalescer, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.coalescer = coalescer;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public UpstreamCall wrap(UpstreamCall next) {
        return request -> send(request, next);
    }

    private UpstreamResponse send(UpstreamRequest request, UpstreamCall next)
            throws IOException, InterruptedException, GatewayRejection {
        CacheDirective directive = directiveOf(request);
        // The header goes on to the retry stage (bypass also means no fallback), which removes it.
        UpstreamRequest forwarded = request;
        Optional<AudioRequest> audio = "POST".equals(request.method())
                ? AudioRequest.parse(request.pathAndQuery(), request.body()) : Optional.empty();
        if (audio.isEmpty() || !policy.isCacheable(audio.get().query(), directive)) {
            return next.send(forwarded);
        }
        if (directive == CacheDirective.PREFER) {
            Optional<CachedAudio> hit = cache.get(audio.get().key());
            if (hit.isPresent()) {
                return PipelineResponses.cached(hit.get(), CacheDirective.HIT);
            }
        }
        if (coalescer == null) {
            return store(audio.get(), next.send(forwarded));
        }
        return coalesced(audio.get(), forwarded, next);
    }

    private UpstreamResponse coalesced(AudioRequest audio, UpstreamRequest request, UpstreamCall next)
            throws IOException, InterruptedException, GatewayRejection {
        BooleanSupplier mine = request.exchange().clientConnected();
        watch(audio.key(), mine);
        Coalescer.Subscription subscription = coalescer.join(audio.key(), new Flight(audio, request, next));
        FlightHead head;
        try {
            head = subscription.head().get();
        } catch (ExecutionException failure) {
            subscription.close();
            unwatch(audio.key(), mine);
            throw unwrap(failure.getCause());
        } catch (InterruptedException interrupted) {
            subscription.close();
            unwatch(audio.key(), mine);
            throw interrupted;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(head.headers());
        headers.put(COALESCED_HEADER, List.of(subscription.isLeader() ? "leader" : "joined"));
        // Answers from the upstream say so; a shared fallback keeps its own mark.
        headers.putIfAbsent(CacheDirective.HEADER, List.of(CacheDirective.MISS));
        UpstreamResponse response = PipelineResponses.streaming(head.status(), headers, subscription.body());
        return UpstreamResponse.onClose(response, () -> {
            subscription.close();
            unwatch(audio.key(), mine);
        });
    }

    private void watch(CacheKey key, BooleanSupplier connected) {
        watchers.compute(key, (k, set) -> {
            Set<BooleanSupplier> present = set == null ? ConcurrentHashMap.newKeySet() : set;
            present.add(connected);
            return present;
        });
    }

    private void unwatch(CacheKey key, BooleanSupplier connected) {
        watchers.computeIfPresent(key, (k, set) -> {
            set.remove(connected);
            return set.isEmpty() ? null : set;
        });
    }

    private UpstreamResponse store(AudioRequest audio, UpstreamResponse response) {
        boolean fallback = response.header(CacheDirective.HEADER).filter(CacheDirective.FALLBACK::equals).isPresent();
        if (response.status() != 200 || fallback) {
            return response;
        }
        String type = response.header("content-type").orElse("audio/mpeg");
        InputStream capturing = new CapturingStream(response.body(), policy.maxEntryBytes(),
                bytes -> cache.put(audio.key(), CachedAudio.adopt(type, bytes, clock.instant())));
        Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
        headers.put(CacheDirective.HEADER, List.of(CacheDirective.MISS));
        UpstreamResponse captured = PipelineResponses.streaming(response.status(), headers, capturing);
        return UpstreamResponse.onClose(captured, response::close);
    }

    static CacheDirective directiveOf(UpstreamRequest request) throws GatewayRejection {
        List<String> values = request.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(CacheDirective.HEADER))
                .flatMap(e -> e.getValue().stream()).toList();
        try {
            return CacheDirective.parse(values.isEmpty() ? null : values.get(0));
        } catch (IllegalArgumentException invalid) {
            throw new GatewayRejection(ApiError.of(400, "validation_error", "invalid_header", invalid.getMessage())
                    .withParam(CacheDirective.HEADER), Map.of());
        }
    }

    static UpstreamRequest withoutCacheHeader(UpstreamRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.keySet().removeIf(name -> name.equalsIgnoreCase(CacheDirective.HEADER));
        return new UpstreamRequest(request.method(), request.pathAndQuery(), headers, request.body(),
                request.exchange());
    }

    private static IOException unwrap(Throwable cause) throws GatewayRejection {
        if (cause instanceof GatewayRejection rejection) {
            throw rejection;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        return cause instanceof IOException io ? io : new IOException("shared upstream call failed: " + cause, cause);
    }

    /** The shared upstream call of one key. */
    private final class Flight implements FlightSource {
        private final AudioRequest audio;
        private final UpstreamRequest request;
        private final UpstreamCall next;

        private Flight(AudioRequest audio, UpstreamRequest leaderRequest, UpstreamCall next) {
            this.audio = audio;
            this.next = next;
            ExchangeContext leader = leaderRequest.exchange();
            // The shared call waits in the queue as long as any of its clients is still there.
            BooleanSupplier anyConnected = () -> watchers.getOrDefault(audio.key(), Set.of()).stream()
                    .anyMatch(BooleanSupplier::getAsBoolean);
            ExchangeContext shared = new ExchangeContext(leader.requestId(), leader.client(), leader.endpoint(),
                    leader.family(), leader.modelId(), leader.priority(), leader.userId(), leader.characters(),
                    anyConnected, leader.responseHeaders(), leader.admissions());
            this.request = new UpstreamRequest(leaderRequest.method(), leaderRequest.pathAndQuery(),
                    leaderRequest.headers(), leaderRequest.body(), shared);
        }

        @Override
        public Answer open() throws Exception {
            UpstreamResponse response = next.send(request);
            InputStream body = PipelineResponses.bodyClosing(response);
            return new Answer(new FlightHead(response.status(), response.headers()), body);
        }

        @Override
        public void onComplete(FlightHead head, byte[] body) {
            boolean fallback = head.headers().getOrDefault(CacheDirective.HEADER, List.of())
                    .contains(CacheDirective.FALLBACK);
            if (head.status() == 200 && !fallback && policy.fits(body.length)) {
                String type = head.headers().getOrDefault("content-type", List.of("audio/mpeg")).get(0);
                // The buffer's own array, read by the flight's clients and never written again: no copy needed.
                cache.put(audio.key(), CachedAudio.adopt(type, body, clock.instant()));
            }
        }
    }
}
