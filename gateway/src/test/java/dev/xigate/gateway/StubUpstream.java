package dev.xigate.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny ElevenLabs-shaped upstream on 127.0.0.1 for gateway tests: streams chunked "audio", can hold responses
 * until released, can refuse over a concurrency limit with the real 429 body, and counts what reached it.
 */
public final class StubUpstream implements AutoCloseable {
    /** Bytes per audio chunk. */
    public static final int CHUNK_BYTES = 1000;

    private final WebServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger wsOpen = new AtomicInteger();
    private final List<Map<String, String>> seenHeaders = new CopyOnWriteArrayList<>();
    private final Semaphore gate = new Semaphore(0);
    private volatile boolean holdAfterFirstChunk;
    private volatile int rejectAbove;
    private volatile int advertisedMaximum = 10;
    private volatile int chunks = 3;
    private volatile boolean breakAfterFirstChunk;

    private StubUpstream() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .addRouting(WsRouting.builder().endpoint("/v1/text-to-speech/{voice_id}/stream-input",
                        this::wsListener))
                .routing(r -> r
                        .post("/v1/text-to-speech/{voice_id}/stream", this::speech)
                        .post("/v1/text-to-speech/{voice_id}", this::speech)
                        .get("/v1/models", (req, res) -> {
                            record(req);
                            res.header("Content-Type", "application/json");
                            res.send("[{\"model_id\":\"eleven_multilingual_v2\"}]");
                        })
                        .post("/v1/sound-generation", (req, res) -> {
                            record(req);
                            req.content().consume();
                            res.status(500);
                            res.header("Content-Type", "application/json");
                            res.send("{\"detail\":{\"status\":\"internal_server_error\",\"message\":\"boom\"}}");
                        }))
                .build()
                .start();
    }

    /** Starts a stub on a free loopback port. */
    public static StubUpstream start() {
        return new StubUpstream();
    }

    /** Returns the base URL. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Makes every speech response wait after its first chunk until {@link #release(int)}. */
    public StubUpstream holdAfterFirstChunk(boolean value) {
        holdAfterFirstChunk = value;
        return this;
    }

    /** Lets {@code count} held responses finish. */
    public void release(int count) {
        gate.release(count);
    }

    /** Refuses requests above this many in flight with 429 too_many_concurrent_requests (0 = never). */
    public StubUpstream rejectAbove(int value) {
        rejectAbove = value;
        return this;
    }

    /** Sets the maximum-concurrent-requests header value. */
    public StubUpstream advertisedMaximum(int value) {
        advertisedMaximum = value;
        return this;
    }

    /** Sets the number of chunks per speech response. */
    public StubUpstream chunks(int value) {
        chunks = value;
        return this;
    }

    /** Makes speech responses break off (connection closed) after the first chunk. */
    public StubUpstream breakAfterFirstChunk(boolean value) {
        breakAfterFirstChunk = value;
        return this;
    }

    /** Returns how many HTTP requests reached the stub. */
    public int requests() {
        return requests.get();
    }

    /** Returns the highest number of speech requests served at once. */
    public int maxActive() {
        return maxActive.get();
    }

    /** Returns how many speech requests are being served. */
    public int active() {
        return active.get();
    }

    /** Returns how many requests were refused with 429. */
    public int rejected() {
        return rejected.get();
    }

    /** Returns how many WebSocket connections are open. */
    public int openWebSockets() {
        return wsOpen.get();
    }

    /** Returns the headers of every request, lower-case names. */
    public List<Map<String, String>> seenHeaders() {
        return seenHeaders;
    }

    private void record(ServerRequest req) {
        requests.incrementAndGet();
        Map<String, String> headers = new ConcurrentHashMap<>();
        req.headers().forEach(h -> headers.put(h.name().toLowerCase(java.util.Locale.ROOT), h.get()));
        seenHeaders.add(headers);
    }

    private void speech(ServerRequest req, ServerResponse res) throws IOException, InterruptedException {
        record(req);
        req.content().consume();
        int now = active.incrementAndGet();
        try {
            if (rejectAbove > 0 && now > rejectAbove) {
                rejected.incrementAndGet();
                res.status(429);
                res.header("Content-Type", "application/json");
                res.send("{\"detail\":{\"type\":\"rate_limit_error\",\"code\":\"concurrent_limit_exceeded\","
                        + "\"status\":\"too_many_concurrent_requests\",\"message\":\"Too many concurrent requests\"}}");
                return;
            }
            maxActive.accumulateAndGet(now, Math::max);
            res.header("Content-Type", "audio/mpeg");
            res.header("current-concurrent-requests", Integer.toString(now));
            res.header("maximum-concurrent-requests", Integer.toString(advertisedMaximum));
            res.header("request-id", "upstream-id");
            byte[] chunk = new byte[CHUNK_BYTES];
            java.util.Arrays.fill(chunk, (byte) 'a');
            try (OutputStream out = res.outputStream()) {
                for (int i = 0; i < chunks; i++) {
                    if (i == 1 && breakAfterFirstChunk) {
                        throw new IOException("stub breaks off");
                    }
                    if (i == 1 && holdAfterFirstChunk) {
                        gate.acquire();
                    }
                    out.write(chunk);
                    out.flush();
                }
            }
        } finally {
            active.decrementAndGet();
        }
    }

    private WsListener wsListener() {
        return new WsListener() {
            @Override
            public void onOpen(WsSession session) {
                wsOpen.incrementAndGet();
            }

            @Override
            public void onMessage(WsSession session, String text, boolean last) {
                if (text.contains("\"text\":\"\"")) {
                    session.send("{\"isFinal\":true}", true);
                    session.close(1000, "done");
                } else {
                    session.send("{\"audio\":\"" + java.util.Base64.getEncoder().encodeToString(
                            text.getBytes(StandardCharsets.UTF_8)) + "\"}", true);
                }
            }

            @Override
            public void onClose(WsSession session, int status, String reason) {
                wsOpen.decrementAndGet();
            }
        };
    }

    @Override
    public void close() {
        gate.release(10_000);
        server.stop();
    }

    static String header(ServerRequest req, String name) {
        return req.headers().first(HeaderNames.create(name)).orElse(null);
    }
}
