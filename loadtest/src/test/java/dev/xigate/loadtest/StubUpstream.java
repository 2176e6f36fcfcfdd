package dev.xigate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xigate.error.ApiError;
import dev.xigate.plan.ModelCatalog;
import dev.xigate.plan.PlanTier;
import dev.xigate.plan.ModelFamily;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Headers;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A small ElevenLabs-like upstream for the load tool's tests, on 127.0.0.1 and a free port: text-to-speech
 * (convert, stream, stream-input), speech-to-text, per-family plan limits answered with 429, a failure-rate chaos
 * control, and {@code /_sim/stats}, {@code /_sim/chaos}, {@code /_sim/reset} in the simulator's shape.
 */
final class StubUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlanTier plan;
    private final boolean enforceLimits;
    private final long serviceMillis;
    private final WebServer server;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, LongAdder> familyRequests = new ConcurrentHashMap<>();
    private volatile double failureRate;

    private StubUpstream(PlanTier plan, boolean enforceLimits, long serviceMillis) {
        this.plan = plan;
        this.enforceLimits = enforceLimits;
        this.serviceMillis = serviceMillis;
        this.server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(this::routes)
                .addRouting(WsRouting.builder().endpoint("/v1/text-to-speech/{voice}/stream-input",
                        () -> new StreamInput()))
                .build().start();
    }

    /** Starts a stub that enforces the plan's limits with 429s. */
    static StubUpstream start(PlanTier plan, long serviceMillis) {
        return new StubUpstream(plan, true, serviceMillis);
    }

    /** Starts a stub that accepts everything, so its observed concurrency can exceed the plan. */
    static StubUpstream startUnlimited(PlanTier plan, long serviceMillis) {
        return new StubUpstream(plan, false, serviceMillis);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    private void routes(HttpRouting.Builder routing) {
        routing.post("/v1/text-to-speech/{voice}", (req, res) -> tts(req, res, false))
                .post("/v1/text-to-speech/{voice}/stream", (req, res) -> tts(req, res, true))
                .post("/v1/speech-to-text", this::stt)
                .get("/_sim/stats", (req, res) -> res.header("content-type", "application/json")
                        .send(stats().toString()))
                .get("/_sim/chaos", (req, res) -> res.header("content-type", "application/json")
                        .send(chaos().toString()))
                .post("/_sim/chaos", (req, res) -> {
                    double survive = 1;
                    for (JsonNode rate : JSON.readTree(req.content().as(String.class)).path("failure_rates")) {
                        survive *= 1 - rate.asDouble();
                    }
                    failureRate = 1 - survive;
                    res.send(chaos().toString());
                })
                .post("/_sim/reset", (req, res) -> {
                    reset();
                    res.send("{}");
                });
    }

    private void tts(ServerRequest req, ServerResponse res, boolean stream) throws IOException {
        JsonNode body = JSON.readTree(req.content().as(String.class));
        String model = body.path("model_id").asText(ModelCatalog.DEFAULT_TTS_MODEL);
        serve(res, ModelCatalog.standard().familyOf(model), stream);
    }

    private void stt(ServerRequest req, ServerResponse res) throws IOException {
        req.content().as(byte[].class);
        serve(res, ModelFamily.STT, false);
    }

    private void serve(ServerResponse res, ModelFamily family, boolean stream) throws IOException {
        requests.incrementAndGet();
        String label = family.label();
        familyRequests.computeIfAbsent(label, k -> new LongAdder()).increment();
        int now = inFlight.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
        try {
            if (enforceLimits && now > plan.concurrencyLimit(family)) {
                answerError(res, label, ApiError.of(429, "rate_limit_error", "too_many_concurrent_requests",
                        "Too many concurrent requests."));
                return;
            }
            maxInFlight.computeIfAbsent(label, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            if (ThreadLocalRandom.current().nextDouble() < failureRate) {
                answerError(res, label, ApiError.of(500, "server_error", "internal_server_error",
                        "Internal error."));
                return;
            }
            count(label, 200);
            if (family == ModelFamily.STT) {
                LockSupport.parkNanos(serviceMillis * 1_000_000L);
                res.header("content-type", "application/json").send("{\"text\":\"\",\"language_code\":\"en\"}");
                return;
            }
            res.header("content-type", "audio/mpeg");
            if (stream) {
                try (OutputStream out = res.outputStream()) {
                    for (int chunk = 0; chunk < 4; chunk++) {
                        LockSupport.parkNanos(serviceMillis * 250_000L);
                        out.write(new byte[2048]);
                        out.flush();
                    }
                }
            } else {
                LockSupport.parkNanos(serviceMillis * 1_000_000L);
                res.send(new byte[8192]);
            }
        } finally {
            inFlight.get(label).decrementAndGet();
        }
    }

    private void answerError(ServerResponse res, String family, ApiError error) {
        count(family, error.httpStatus());
        res.status(error.httpStatus()).header("content-type", "application/json")
                .send(error.toJson(UUID.randomUUID().toString()));
    }

    private void count(String family, int status) {
        byStatus.computeIfAbsent(family + ":" + status, k -> new LongAdder()).increment();
    }

    private synchronized void reset() {
        requests.set(0);
        familyRequests.clear();
        byStatus.clear();
        maxInFlight.clear();
    }

    private ObjectNode chaos() {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("failure_rates").put("error_500", failureRate);
        return root;
    }

    /** Returns the stats in the simulator's shape; all requests are counted under the family that saw them. */
    private ObjectNode stats() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode families = root.putObject("families");
        for (ModelFamily family : ModelFamily.values()) {
            String label = family.label();
            ObjectNode node = families.putObject(label);
            node.put("requests", familyRequests.getOrDefault(label, new LongAdder()).sum());
            ObjectNode responses = node.putObject("responses");
            new TreeMap<>(byStatus).forEach((key, count) -> {
                if (key.startsWith(label + ":")) {
                    responses.put(key.substring(label.length() + 1), count.sum());
                }
            });
            node.put("current_concurrency", inFlight.getOrDefault(label, new AtomicInteger()).get());
            node.put("max_concurrency", maxInFlight.getOrDefault(label, new AtomicInteger()).get());
            node.put("limit", plan.concurrencyLimit(family));
        }
        root.put("other_requests", 0);
        return root;
    }

    /** One stream-input session: answers the end of input with two audio messages and isFinal. */
    private final class StreamInput implements WsListener {
        private String family = ModelFamily.TURBO_FLASH.label();

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
            String query = prologue.query().rawValue();
            for (String pair : query.split("&")) {
                if (pair.startsWith("model_id=")) {
                    family = ModelCatalog.standard().familyOf(pair.substring("model_id=".length())).label();
                }
            }
            return Optional.empty();
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            try {
                if (!JSON.readTree(text).path("text").asText().isEmpty()) {
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            requests.incrementAndGet();
            familyRequests.computeIfAbsent(family, k -> new LongAdder()).increment();
            int now = inFlight.computeIfAbsent(family, k -> new AtomicInteger()).incrementAndGet();
            maxInFlight.computeIfAbsent(family, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            try {
                String audio = Base64.getEncoder().encodeToString(new byte[1024]);
                for (int i = 0; i < 2; i++) {
                    LockSupport.parkNanos(serviceMillis * 500_000L);
                    session.send("{\"audio\":\"" + audio + "\",\"isFinal\":null}", true);
                }
                count(family, 101);
                session.send("{\"isFinal\":true}", true);
            } finally {
                inFlight.get(family).decrementAndGet();
            }
            session.close(1000, "done");
        }
    }
}
