package dev.xigate.gateway.ws;

import dev.xigate.error.ApiError;
import dev.xigate.gateway.auth.ClientIdentity;
import dev.xigate.gateway.auth.ClientRegistry;
import dev.xigate.gateway.auth.Priority;
import dev.xigate.gateway.proxy.DrainGate;
import dev.xigate.gateway.proxy.GatewayErrors;
import dev.xigate.gateway.proxy.ProxyHandler;
import dev.xigate.gateway.proxy.RequestIds;
import dev.xigate.gateway.proxy.RouteTable;
import dev.xigate.limit.Admission;
import dev.xigate.limit.AdmissionRequest;
import dev.xigate.limit.Limiter;
import dev.xigate.limit.Permit;
import dev.xigate.limit.Ticket;
import dev.xigate.plan.ModelCatalog;
import dev.xigate.plan.ModelFamily;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.http.Filter;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes the TTS input-streaming WebSocket ({@code /v1/text-to-speech/{voice_id}/stream-input}) through to the
 * upstream, holding one permit of the model's family for the connection's whole life.
 *
 * <p>The client authenticates with its gateway key in the {@code xi-api-key} header of the upgrade request; the
 * upstream connection carries the real key instead. Messages are relayed in both directions as they come
 * (fragments included); either side closing closes the other and releases the permit. Each connection gets its
 * own listener from {@link #newSession()}. Thread-safe.
 */
public final class StreamInputProxy {
    /** Close code sent when the gateway refuses the connection (queue full, shutting down): try again later. */
    public static final int TRY_AGAIN_LATER = 1013;

    private static final Logger LOG = LoggerFactory.getLogger(StreamInputProxy.class);

    private final ClientRegistry clients;
    private final Limiter limiter;
    private final DrainGate drainGate;
    private final URI upstreamWsBase;
    private final String apiKey;
    private final Duration admissionTimeout;
    private final HttpClient httpClient;

    /**
     * Creates the proxy.
     *
     * @param clients the client keys
     * @param limiter the limiter whose family permit each connection holds
     * @param drainGate the in-flight counter shutdown waits on
     * @param upstreamHttpBase the upstream base URL ({@code http(s)://...}); WebSocket scheme is derived from it
     * @param apiKey the ElevenLabs key sent upstream
     * @param admissionTimeout the longest wait for a permit before giving up on the connection
     */
    public StreamInputProxy(ClientRegistry clients, Limiter limiter, DrainGate drainGate, String upstreamHttpBase,
            String apiKey, Duration admissionTimeout) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.drainGate = Objects.requireNonNull(drainGate, "drainGate");
        String base = upstreamHttpBase.endsWith("/")
                ? upstreamHttpBase.substring(0, upstreamHttpBase.length() - 1) : upstreamHttpBase;
        this.upstreamWsBase = URI.create(base.replaceFirst("^http", "ws"));
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.admissionTimeout = Objects.requireNonNull(admissionTimeout, "admissionTimeout");
        this.httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Returns the route pattern this proxy serves. */
    public static String pattern() {
        return RouteTable.STREAM_INPUT.pattern();
    }

    /**
     * Returns the HTTP filter that refuses a WebSocket upgrade with an unknown key or a bad priority header the way
     * every other request is refused: 401 or 400 with the ElevenLabs error body and the request id. Helidon runs
     * HTTP filters before a routed upgrade; a refusal left to the listener would be a bare 400. Requests without an
     * {@code Upgrade: websocket} header pass straight on.
     */
    public Filter upgradeFilter() {
        return (chain, req, res) -> {
            Headers headers = req.headers();
            if (!"websocket".equalsIgnoreCase(first(headers, "upgrade"))) {
                chain.proceed();
                return;
            }
            ApiError refusal = refusal(headers);
            if (refusal == null) {
                chain.proceed();
                return;
            }
            String requestId = RequestIds.reuseOrCreate(first(headers, "x-request-id"), first(headers, "request-id"));
            LOG.info("{} WebSocket refused reason={}", requestId, refusal.status());
            res.status(refusal.httpStatus());
            res.header("Content-Type", "application/json");
            res.header(ProxyHandler.REQUEST_ID_HEADER, requestId);
            res.header("request-id", requestId);
            res.send(refusal.toJson(requestId).getBytes(StandardCharsets.UTF_8));
        };
    }

    /** Returns why an upgrade with these headers is refused before it reaches the limiter, or null if it is not. */
    private ApiError refusal(Headers headers) {
        Optional<ClientIdentity> identity = clients.authenticate(first(headers, "xi-api-key"));
        if (identity.isEmpty()) {
            return GatewayErrors.invalidApiKey();
        }
        String requested = first(headers, ProxyHandler.PRIORITY_HEADER);
        if (requested != null) {
            try {
                Priority.parse(requested);
            } catch (IllegalArgumentException e) {
                return GatewayErrors.invalidHeader(ProxyHandler.PRIORITY_HEADER, e.getMessage());
            }
        }
        return null;
    }

    /** Returns a supplier of per-connection listeners, for Helidon's WebSocket routing. */
    public Supplier<WsListener> listeners() {
        return this::newSession;
    }

    /** Returns the listener of one new connection. */
    public WsListener newSession() {
        return new Session();
    }

    /** One client connection and its upstream twin. */
    private final class Session implements WsListener {
        private final AtomicBoolean finished = new AtomicBoolean();
        private String requestId;
        private ClientIdentity client;
        private int priority;
        private String modelId;
        private String pathAndQuery;
        private volatile Permit permit;
        private volatile WebSocket upstream;
        private boolean entered;

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
            requestId = RequestIds.reuseOrCreate(first(headers, "x-request-id"), first(headers, "request-id"));
            Optional<ClientIdentity> identity = clients.authenticate(first(headers, "xi-api-key"));
            if (identity.isEmpty()) {
                LOG.info("{} WebSocket refused reason=invalid_api_key", requestId);
                throw new WsUpgradeException("invalid api key");
            }
            client = identity.get();
            String requested = first(headers, ProxyHandler.PRIORITY_HEADER);
            try {
                priority = client.effectivePriority(requested == null ? null : Priority.parse(requested));
            } catch (IllegalArgumentException e) {
                throw new WsUpgradeException(e.getMessage());
            }
            String rawQuery = prologue.query().rawValue();
            modelId = queryParameter(rawQuery, "model_id").orElse(ModelCatalog.DEFAULT_TTS_MODEL);
            String query = rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery;
            pathAndQuery = prologue.uriPath().rawPath() + query;
            return Optional.empty();
        }

        @Override
        public void onOpen(WsSession session) {
            if (!drainGate.tryEnter()) {
                refuse(session, GatewayErrors.shuttingDown().toJson(requestId), "shutting_down");
                return;
            }
            entered = true;
            ModelFamily family = ModelCatalog.standard().familyOf(modelId);
            Ticket ticket = limiter.enqueue(new AdmissionRequest(family, priority, client.name(), 0, requestId));
            Admission admission;
            try {
                admission = ticket.result().get(admissionTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                leave(ticket);
                refuse(session, GatewayErrors.rejected(dev.xigate.limit.RejectReason.QUEUE_TIMEOUT,
                        "No upstream slot became free in time").toJson(requestId), "queue_timeout");
                return;
            } catch (InterruptedException e) {
                leave(ticket);
                Thread.currentThread().interrupt();
                finish();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                refuse(session, GatewayErrors.internal().toJson(requestId), "internal_error");
                return;
            }
            if (admission instanceof Admission.Rejected rejected) {
                refuse(session, GatewayErrors.rejected(rejected.reason(), rejected.message()).toJson(requestId),
                        rejected.reason().status());
                return;
            }
            permit = ((Admission.Granted) admission).permit();
            try {
                upstream = httpClient.newWebSocketBuilder()
                        .header("xi-api-key", apiKey)
                        .header("x-request-id", requestId)
                        .connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(URI.create(upstreamWsBase + pathAndQuery), new UpstreamListener(session))
                        .join();
                LOG.debug("{} WebSocket opened client={} family={}", requestId, client.name(), family.label());
            } catch (RuntimeException e) {
                LOG.warn("{} WebSocket upstream connect failed error={}", requestId, e.toString());
                refuse(session, GatewayErrors.upstreamUnavailable().toJson(requestId), "upstream_unavailable");
            }
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            WebSocket up = upstream;
            if (up != null) {
                up.sendText(text, last).join();
            }
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            WebSocket up = upstream;
            if (up != null) {
                byte[] bytes = new byte[buffer.available()];
                buffer.read(bytes);
                up.sendBinary(ByteBuffer.wrap(bytes), last).join();
            }
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            WebSocket up = upstream;
            if (up != null && !up.isOutputClosed()) {
                up.sendClose(WebSocket.NORMAL_CLOSURE, "client closed").exceptionally(e -> null);
            }
            finish();
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            WebSocket up = upstream;
            if (up != null) {
                up.abort();
            }
            finish();
        }

        private void refuse(WsSession session, String errorJson, String reason) {
            LOG.info("{} WebSocket refused client={} reason={}", requestId, client.name(), reason);
            try {
                session.send(errorJson, true);
                session.close(TRY_AGAIN_LATER, reason);
            } finally {
                finish();
            }
        }

        private void leave(Ticket ticket) {
            if (!ticket.cancel() && ticket.result().getNow(null) instanceof Admission.Granted granted) {
                granted.permit().release();
            }
        }

        private void finish() {
            if (finished.compareAndSet(false, true)) {
                Permit held = permit;
                if (held != null) {
                    held.release();
                }
                if (entered) {
                    drainGate.leave();
                }
            }
        }

        /** Relays upstream messages to the client. */
        private final class UpstreamListener implements WebSocket.Listener {
            private final WsSession session;

            UpstreamListener(WsSession session) {
                this.session = session;
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                session.send(data.toString(), last);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                session.send(BufferData.create(bytes), last);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                try {
                    session.close(statusCode, reason == null ? "" : reason);
                } finally {
                    finish();
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                LOG.warn("{} WebSocket upstream failed error={}", requestId, error.toString());
                try {
                    session.close(WsCloseCodes.UNEXPECTED_CONDITION, "upstream error");
                } finally {
                    finish();
                }
            }
        }
    }

    private static String first(Headers headers, String name) {
        return headers.first(HeaderNames.create(name)).orElse(null);
    }

    static Optional<String> queryParameter(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name) && eq >= 0) {
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
