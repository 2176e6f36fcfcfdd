package dev.xigate.gateway.proxy;

import dev.xigate.cache.CacheDirective;
import dev.xigate.error.ApiError;
import dev.xigate.gateway.auth.ClientIdentity;
import dev.xigate.gateway.auth.ClientRegistry;
import dev.xigate.gateway.auth.Priority;
import dev.xigate.gateway.upstream.GatewayRejection;
import dev.xigate.gateway.upstream.UpstreamCall;
import dev.xigate.gateway.upstream.UpstreamRequest;
import dev.xigate.gateway.upstream.UpstreamResponse;
import dev.xigate.plan.ModelCatalog;
import dev.xigate.plan.ModelFamily;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles every request on the proxy port: the gateway's request path.
 *
 * <p>In order: request id, drain check, allowlist (404), client key (401), the client's own concurrency (429),
 * body within the size limit (413), classification by model id (400 for a body that cannot be read), then the
 * pipeline (limiter admission and the upstream call), and finally the response streamed to the client as it
 * arrives, with the permit released when the last byte is sent or the client goes away. Every answer carries
 * {@code x-request-id}; gateway errors use the ElevenLabs error shape. Thread-safe.
 */
public final class ProxyHandler implements Handler {
    /** Response header carrying the gateway's request id on every answer. */
    public static final String REQUEST_ID_HEADER = "x-request-id";
    /** Request header: the caller's priority ({@code high}, {@code normal}, {@code low} or 0..2). */
    public static final String PRIORITY_HEADER = "x-xigate-priority";
    /** Request header: the end user on whose behalf the client calls. */
    public static final String USER_ID_HEADER = "x-user-id";
    /** The exchange record's stage-header key holding the requested output format of an audio answer. */
    public static final String OUTPUT_FORMAT_NOTE = "x-xigate-output-format";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
    private static final Set<String> RESPONSE_HEADERS_NOT_COPIED = Set.of("connection", "transfer-encoding",
            "keep-alive", "content-length", "upgrade", "proxy-connection", "te", "trailer");
    private static final int COPY_BUFFER_BYTES = 8192;
    /** Bodies of a declared length up to this size are read whole and sent in one write. */
    private static final int WHOLE_BODY_MAX_BYTES = 64 * 1024;
    private static final int MAX_USER_ID_LENGTH = 256;

    private final RouteTable routes;
    private final ClientRegistry clients;
    private final ClientSlots clientSlots = new ClientSlots();
    private final UpstreamCall pipeline;
    private final DrainGate drainGate;
    private final long maxBodyBytes;
    private final List<ExchangeListener> listeners;
    private final LongSupplier nanoClock;

    /**
     * Creates the handler.
     *
     * @param routes the allowlist
     * @param clients the client keys
     * @param pipeline the upstream pipeline (admission step, resilience stages, HTTP call)
     * @param drainGate the in-flight counter shutdown waits on
     * @param maxBodyBytes the request body limit
     * @param listeners receivers of one record per request
     * @param nanoClock the monotonic clock durations are measured with
     */
    public ProxyHandler(RouteTable routes, ClientRegistry clients, UpstreamCall pipeline, DrainGate drainGate,
            long maxBodyBytes, List<ExchangeListener> listeners, LongSupplier nanoClock) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.drainGate = Objects.requireNonNull(drainGate, "drainGate");
        this.maxBodyBytes = maxBodyBytes;
        this.listeners = List.copyOf(listeners);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Exchange x = new Exchange(req, res, nanoClock.getAsLong());
        x.requestId = RequestIds.reuseOrCreate(header(req, "x-request-id"), header(req, "request-id"));
        if (!drainGate.tryEnter()) {
            x.fail(GatewayErrors.shuttingDown(), Map.of("Retry-After", "1", "Connection", "close"), "draining");
            finish(x);
            return;
        }
        try {
            run(x);
        } finally {
            drainGate.leave();
            finish(x);
        }
    }

    private void run(Exchange x) {
        ServerRequest req = x.req;
        String method = req.prologue().method().text();
        String path = req.path().rawPath();
        Optional<Route> route = routes.match(method, path);
        if (route.isEmpty()) {
            x.fail(GatewayErrors.notFound(method, path), Map.of(), "not_found");
            return;
        }
        x.endpoint = route.get().endpoint();
        Optional<ClientIdentity> client = clients.authenticate(header(req, "xi-api-key"));
        if (client.isEmpty()) {
            x.fail(GatewayErrors.invalidApiKey(), Map.of(), "unauthorized");
            return;
        }
        x.client = client.get();
        if (!clientSlots.tryAcquire(x.client)) {
            x.fail(GatewayErrors.clientLimit(x.client.name(), x.client.maxConcurrent()),
                    Map.of("Retry-After", "1", AdmissionStep.REJECT_REASON_HEADER, "client_limit_exceeded"),
                    "rejected");
            return;
        }
        try {
            proxy(x, route.get());
        } finally {
            clientSlots.release(x.client);
        }
    }

    private void proxy(Exchange x, Route route) {
        ExchangeContext context;
        byte[] body;
        try {
            body = readBody(x.req);
            context = classify(x, route, body);
        } catch (BodyTooLargeException e) {
            x.fail(GatewayErrors.payloadTooLarge(maxBodyBytes), Map.of("Connection", "close"), "too_large");
            return;
        } catch (InvalidBodyException e) {
            x.fail(GatewayErrors.invalidBody(e.getMessage(), e.param()), Map.of(), "bad_request");
            return;
        } catch (InvalidHeaderException e) {
            x.fail(GatewayErrors.invalidHeader(e.header, e.getMessage()), Map.of(), "bad_request");
            return;
        } catch (IOException e) {
            x.outcome = "client_gone";
            return;
        }
        x.context = context;
        String rawQuery = x.req.query().rawValue();
        String pathAndQuery = x.req.path().rawPath() + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        UpstreamRequest request = new UpstreamRequest(x.req.prologue().method().text(), pathAndQuery,
                forwardedHeaders(x.req), body, context);
        try (UpstreamResponse response = pipeline.send(request)) {
            stream(x, response);
        } catch (GatewayRejection e) {
            x.fail(e.error(), e.headers(), "rejected");
        } catch (ClientGoneException e) {
            x.outcome = "client_gone";
        } catch (HttpTimeoutException e) {
            x.fail(GatewayErrors.upstreamTimeout(), Map.of(), "upstream_timeout");
        } catch (IOException e) {
            LOG.warn("{} Upstream call failed endpoint={} error={}", x.requestId, x.endpoint, e.toString());
            x.fail(GatewayErrors.upstreamUnavailable(), Map.of(), "upstream_error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            x.outcome = "interrupted";
        }
    }

    private ExchangeContext classify(Exchange x, Route route, byte[] body)
            throws InvalidBodyException, InvalidHeaderException {
        int priority = x.client.effectivePriority(requestedPriority(x.req));
        x.priority = priority;
        String userId = header(x.req, USER_ID_HEADER);
        if (userId != null && userId.length() > MAX_USER_ID_LENGTH) {
            throw new InvalidHeaderException(USER_ID_HEADER, USER_ID_HEADER + " is longer than "
                    + MAX_USER_ID_LENGTH + " characters");
        }
        BodyClassification named = switch (route.modelSource()) {
            case JSON_BODY -> BodyClassifier.fromJson(body);
            case MULTIPART_FORM -> BodyClassifier.fromMultipart(header(x.req, "content-type"), body);
            case NONE, QUERY -> BodyClassification.EMPTY;
        };
        ModelFamily family = null;
        String modelId = null;
        if (route.modelSource() != Route.ModelSource.NONE) {
            modelId = named.modelId() == null ? route.defaultModel() : named.modelId();
            family = ModelCatalog.standard().familyOf(modelId);
            x.family = family.label();
        }
        ConnectionProbe probe = ConnectionProbe.of(x.req);
        x.probe = probe;
        return new ExchangeContext(x.requestId, x.client, route.endpoint(), family, modelId, priority, userId,
                named.characters(), probe, null, null);
    }

    private static Integer requestedPriority(ServerRequest req) throws InvalidHeaderException {
        String text = header(req, PRIORITY_HEADER);
        if (text == null) {
            return null;
        }
        try {
            return Priority.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidHeaderException(PRIORITY_HEADER, e.getMessage());
        }
    }

    private byte[] readBody(ServerRequest req) throws IOException, BodyTooLargeException {
        Optional<String> declared = req.headers().first(HeaderNames.CONTENT_LENGTH);
        long length = -1;
        if (declared.isPresent()) {
            try {
                length = Long.parseLong(declared.get().trim());
            } catch (NumberFormatException e) {
                // Helidon rejects malformed lengths before routing; nothing to add here
            }
            if (length > maxBodyBytes) {
                throw new BodyTooLargeException();
            }
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            // A declared length is read into one array of that size; a chunked body grows up to the limit.
            long expected = length >= 0 ? length : maxBodyBytes + 1;
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, expected));
            if (bytes.length > maxBodyBytes) {
                throw new BodyTooLargeException();
            }
            return bytes;
        }
    }

    private static Map<String, List<String>> forwardedHeaders(ServerRequest req) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header header : req.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            // x-xigate-cache stays for the audio cache stage, which removes it before the upstream call.
            boolean gatewayOnly = name.startsWith("x-xigate-") && !CacheDirective.HEADER.equals(name);
            if (!gatewayOnly && !USER_ID_HEADER.equals(name)) {
                headers.put(name, header.allValues());
            }
        }
        return headers;
    }

    private void stream(Exchange x, UpstreamResponse response) throws IOException {
        // Read before anything is sent, so that a body cut short can still be answered with a clean 502.
        byte[] whole = readWholeIfSmall(x, response);
        ServerResponse res = x.res;
        res.status(response.status());
        x.status = response.status();
        response.headers().forEach((name, values) -> {
            if (name.startsWith("x-xigate-") && !values.isEmpty()) {
                x.upstreamNotes.put(name, values.get(0));
            }
            if (!RESPONSE_HEADERS_NOT_COPIED.contains(name)) {
                res.header(name, values.toArray(String[]::new));
            }
        });
        writeGatewayHeaders(x, Map.of());
        if (response.header("content-type").filter(type -> type.startsWith("audio/")).isPresent()) {
            // For the audio-duration metric: the body's size means seconds only together with its format.
            x.upstreamNotes.put(OUTPUT_FORMAT_NOTE, x.req.query().first("output_format").orElse(""));
        }
        if (x.probe != null && x.probe.mustCloseAfterResponse()) {
            res.header("Connection", "close");
        }
        if (whole != null) {
            sendWhole(x, response, whole);
            return;
        }
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        InputStream in = response.body();
        OutputStream out;
        try {
            out = res.outputStream();
        } catch (RuntimeException e) {
            x.outcome = "client_gone";
            return;
        }
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (IOException e) {
                // Headers are out: the only honest signal left is to abort the connection instead of ending the body.
                x.outcome = "upstream_broken";
                LOG.warn("{} Upstream broke off mid-body endpoint={} bytes={} error={}", x.requestId, x.endpoint,
                        x.bytesSent, e.toString());
                throw new UncheckedIOException(e);
            }
            if (read < 0) {
                // The upstream is done with this request: its slot is free now, not after the client's last read.
                response.close();
                break;
            }
            try {
                out.write(buffer, 0, read);
                out.flush();
                if (x.bytesSent == 0) {
                    x.firstByteNanos = nanoClock.getAsLong();
                }
                x.bytesSent += read;
            } catch (IOException | RuntimeException e) {
                // The client went away mid-stream: stop reading, the permit is released when the response closes.
                x.outcome = "client_gone";
                return;
            }
        }
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            x.outcome = "client_gone";
            return;
        }
        x.outcome = response.status() < 400 ? "ok" : "upstream_status";
    }

    /**
     * Returns the whole body when the upstream declared a small length, else {@code null} (streamed instead). A
     * short answer then goes out in one write with its length, instead of chunk by chunk.
     */
    private static byte[] readWholeIfSmall(Exchange x, UpstreamResponse response) throws IOException {
        int status = response.status();
        if ("HEAD".equals(x.req.prologue().method().text()) || status == 204 || status == 304) {
            return null;
        }
        Optional<String> declared = response.header("content-length");
        if (declared.isEmpty()) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(declared.get().trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (length < 0 || length > WHOLE_BODY_MAX_BYTES) {
            return null;
        }
        InputStream in = response.body();
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new IOException("upstream body ended after " + body.length + " of " + length + " bytes");
        }
        // Reading the end too lets the stages that act on a complete body (cache capture, stream checks) see it.
        if (in.read() >= 0) {
            throw new IOException("upstream body longer than its declared " + length + " bytes");
        }
        // The upstream is done with this request: its slot is free now, not after the client's read.
        response.close();
        return body;
    }

    private void sendWhole(Exchange x, UpstreamResponse response, byte[] body) {
        try {
            x.res.header("Content-Length", Integer.toString(body.length));
            x.res.send(body);
        } catch (RuntimeException e) {
            x.outcome = "client_gone";
            return;
        }
        x.firstByteNanos = nanoClock.getAsLong();
        x.bytesSent = body.length;
        x.outcome = response.status() < 400 ? "ok" : "upstream_status";
    }

    private void writeGatewayHeaders(Exchange x, Map<String, String> extra) {
        x.res.header(REQUEST_ID_HEADER, x.requestId);
        if (x.context != null) {
            x.context.responseHeaders().forEach((name, value) -> x.res.header(name, value));
        }
        extra.forEach((name, value) -> x.res.header(name, value));
    }

    private void finish(Exchange x) {
        long durationNanos = nanoClock.getAsLong() - x.startNanos;
        Duration queueWait = Duration.ZERO;
        if (x.context != null) {
            String waited = x.context.responseHeaders().get(AdmissionStep.QUEUE_WAIT_HEADER);
            if (waited != null) {
                queueWait = Duration.ofMillis(Long.parseLong(waited));
            }
        }
        ExchangeContext c = x.context;
        ExchangeRecord record = new ExchangeRecord(x.requestId, x.client == null ? "-" : x.client.name(),
                x.req.prologue().method().text(), x.endpoint, x.family, x.priority, x.status,
                Duration.ofNanos(durationNanos), queueWait, x.bytesSent, x.outcome,
                c == null ? null : c.modelId(), c == null ? null : c.userId(), c == null ? 0 : c.characters(),
                x.firstByteNanos < 0 ? null : Duration.ofNanos(x.firstByteNanos - x.startNanos),
                stageHeaders(x));
        for (ExchangeListener listener : listeners) {
            try {
                listener.onExchange(record);
            } catch (RuntimeException e) {
                LOG.warn("{} Exchange listener failed listener={} error={}", x.requestId,
                        listener.getClass().getName(), e.toString());
            }
        }
    }

    private static Map<String, String> stageHeaders(Exchange x) {
        if (x.context == null) {
            return x.upstreamNotes;
        }
        Map<String, String> headers = new HashMap<>(x.context.responseHeaders());
        headers.putAll(x.upstreamNotes);
        return headers;
    }

    private static String header(ServerRequest req, String name) {
        return req.headers().first(HeaderNames.create(name)).orElse(null);
    }

    /** The mutable state of one request while the handler runs; used by its own thread only. */
    private final class Exchange {
        final ServerRequest req;
        final ServerResponse res;
        final long startNanos;
        String requestId;
        String endpoint = "-";
        String family = "-";
        int priority = -1;
        int status;
        long bytesSent;
        long firstByteNanos = -1;
        /** The x-xigate-* headers of the upstream answer (cache hit, fallback) or of a rejection, for the record. */
        final Map<String, String> upstreamNotes = new HashMap<>();
        String outcome = "unknown";
        ClientIdentity client;
        ExchangeContext context;
        ConnectionProbe probe;

        Exchange(ServerRequest req, ServerResponse res, long startNanos) {
            this.req = req;
            this.res = res;
            this.startNanos = startNanos;
        }

        void fail(ApiError error, Map<String, String> headers, String outcomeWord) {
            status = error.httpStatus();
            outcome = outcomeWord;
            // The reason of a rejection goes into the exchange record too: access log and metrics name it.
            headers.forEach((name, value) -> {
                if (name.regionMatches(true, 0, "x-xigate-", 0, 9)) {
                    upstreamNotes.put(name.toLowerCase(Locale.ROOT), value);
                }
            });
            if (res.isSent()) {
                return;
            }
            byte[] json = error.toJson(requestId).getBytes(StandardCharsets.UTF_8);
            res.status(error.httpStatus());
            res.header("Content-Type", "application/json");
            res.header("request-id", requestId);
            writeGatewayHeaders(this, headers);
            try {
                res.send(json);
                bytesSent = json.length;
            } catch (RuntimeException e) {
                outcome = "client_gone";
            }
        }
    }

    /** Thrown when the body exceeds the size limit. */
    private static final class BodyTooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException() {
            super(null, null, false, false);
        }
    }

    /** Thrown for a gateway header with a bad value. */
    private static final class InvalidHeaderException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String header;

        InvalidHeaderException(String header, String message) {
            super(message, null, false, false);
            this.header = header;
        }
    }
}
