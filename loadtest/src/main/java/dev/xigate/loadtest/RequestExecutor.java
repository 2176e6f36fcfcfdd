package dev.xigate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Sends one {@link PlannedRequest} to the target over HTTP or WebSocket and reports its {@link Outcome}.
 *
 * <p>Blocking: call it from a virtual thread. Bodies are read to the end (the way a player would) but not kept.
 * Thread-safe.
 */
public final class RequestExecutor implements RequestSender, AutoCloseable {
    /** The header that carries a request's priority to the gateway. */
    public static final String PRIORITY_HEADER = "x-xigate-priority";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final byte[] STT_AUDIO = silentWav(8_000);

    private final HttpClient http;
    private final Http1Client plainHttp;
    private final URI target;
    private final Duration timeout;
    private final LongSupplier clock;

    /**
     * Creates an executor.
     *
     * @param http the client (HTTP/1.1 keeps each request on its own connection, like most SDKs)
     * @param target the base URL, for example {@code http://127.0.0.1:8080}
     * @param timeout the longest a request may take from send to its last byte
     * @param clock the run clock in nanoseconds
     */
    public RequestExecutor(HttpClient http, URI target, Duration timeout, LongSupplier clock) {
        this.http = http;
        this.plainHttp = "http".equalsIgnoreCase(target.getScheme())
                ? new Http1Client(target, Duration.ofSeconds(5), clock) : null;
        this.target = target;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Closes the kept-alive connections of plain-HTTP targets. */
    @Override
    public void close() {
        if (plainHttp != null) {
            plainHttp.close();
        }
    }

    /** Sends the request and returns its outcome; never throws for a failed request. */
    @Override
    public Outcome send(PlannedRequest request) {
        try {
            return switch (request.endpoint()) {
                case CONVERT -> http(ttsCall(request, ""));
                case STREAM -> http(ttsCall(request, "/stream"));
                case STT -> http(sttCall(request));
                case STREAM_INPUT -> webSocket(request);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failure(0, "interrupted", 0);
        }
    }

    /** One HTTP request, built once and sent by either client. */
    private record Call(String method, URI uri, Map<String, String> headers, byte[] body) {
    }

    private Call ttsCall(PlannedRequest request, String suffix) {
        ObjectNode body = JSON.createObjectNode().put("text", request.text()).put("model_id", request.modelId());
        URI uri = resolve("/v1/text-to-speech/" + request.voiceId() + suffix + "?output_format=mp3_44100_128");
        Map<String, String> headers = headers(request);
        headers.put("content-type", "application/json");
        headers.put("accept", "audio/mpeg");
        return new Call("POST", uri, headers, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Call sttCall(PlannedRequest request) {
        String boundary = "xigate-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(STT_AUDIO.length + 512);
        String head = "--" + boundary + "\r\ncontent-disposition: form-data; name=\"model_id\"\r\n\r\n"
                + request.modelId() + "\r\n--" + boundary
                + "\r\ncontent-disposition: form-data; name=\"file\"; filename=\"load.wav\"\r\n"
                + "content-type: audio/wav\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(STT_AUDIO);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = headers(request);
        headers.put("content-type", "multipart/form-data; boundary=" + boundary);
        headers.put("accept", "application/json");
        return new Call("POST", resolve("/v1/speech-to-text"), headers, body.toByteArray());
    }

    private static Map<String, String> headers(PlannedRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("xi-api-key", request.apiKey());
        headers.put("user-agent", "xigate-loadtest");
        if (request.priority() != null) {
            headers.put(PRIORITY_HEADER, request.priority());
        }
        return headers;
    }

    private Outcome http(Call call) throws InterruptedException {
        long deadline = clock.getAsLong() + timeout.toNanos();
        if (plainHttp != null) {
            return plain(call, deadline);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri()).timeout(timeout)
                .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach(builder::header);
        try {
            HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                return readBody(response.statusCode(), body, deadline);
            }
        } catch (HttpConnectTimeoutException e) {
            return new Outcome.Failure(0, "connect_timeout", 0);
        } catch (HttpTimeoutException e) {
            return new Outcome.Failure(0, "timeout", 0);
        } catch (ConnectException e) {
            return new Outcome.Failure(0, "connect_error", 0);
        } catch (IOException e) {
            return new Outcome.Failure(0, "io_error", 0);
        }
    }

    private Outcome plain(Call call, long deadline) {
        URI uri = call.uri();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        BodyCollector collector = new BodyCollector(clock);
        try {
            Http1Client.Head head = plainHttp.exchange(call.method(), pathAndQuery, call.headers(), call.body(),
                    deadline, collector);
            int status = head.status();
            if (status >= 200 && status < 300) {
                return new Outcome.Success(status, collector.firstByteAt, collector.total);
            }
            return new Outcome.Failure(status, errorType(status, collector.errorBody.toByteArray()),
                    collector.firstByteAt);
        } catch (SocketTimeoutException e) {
            return new Outcome.Failure(0, "timeout", collector.firstByteAt);
        } catch (ConnectException e) {
            return new Outcome.Failure(0, "connect_error", 0);
        } catch (IOException e) {
            return new Outcome.Failure(0, "io_error", collector.firstByteAt);
        }
    }

    /** Collects an answer body: first byte time, size, and the start of an error body. */
    private static final class BodyCollector implements Http1Client.BodySink {
        private final LongSupplier clock;
        private final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
        private long firstByteAt;
        private long total;

        BodyCollector(LongSupplier clock) {
            this.clock = clock;
        }

        @Override
        public void accept(byte[] buffer, int length) {
            if (length > 0 && firstByteAt == 0) {
                firstByteAt = clock.getAsLong();
            }
            total += length;
            if (errorBody.size() < MAX_ERROR_BODY) {
                errorBody.write(buffer, 0, Math.min(length, MAX_ERROR_BODY - errorBody.size()));
            }
        }
    }

    private Outcome readBody(int status, InputStream body, long deadline) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long firstByteAt = 0;
        long total = 0;
        ByteArrayOutputStream errorBody = status >= 300 ? new ByteArrayOutputStream() : null;
        int read;
        while ((read = body.read(buffer)) >= 0) {
            if (read > 0 && firstByteAt == 0) {
                firstByteAt = clock.getAsLong();
            }
            total += read;
            if (errorBody != null && errorBody.size() < MAX_ERROR_BODY) {
                errorBody.write(buffer, 0, Math.min(read, MAX_ERROR_BODY - errorBody.size()));
            }
            if (clock.getAsLong() > deadline) {
                return new Outcome.Failure(status, "timeout", firstByteAt);
            }
        }
        if (status >= 200 && status < 300) {
            return new Outcome.Success(status, firstByteAt, total);
        }
        return new Outcome.Failure(status, errorType(status, errorBody.toByteArray()), firstByteAt);
    }

    /**
     * Returns the machine-readable error of an ElevenLabs error body: {@code detail.status}, else
     * {@code detail.code}, else {@code http_<status>}.
     */
    static String errorType(int status, byte[] body) {
        try {
            JsonNode detail = JSON.readTree(body).path("detail");
            if (detail.hasNonNull("status")) {
                return detail.get("status").asText();
            }
            if (detail.hasNonNull("code")) {
                return detail.get("code").asText();
            }
            if (detail.isArray()) {
                return "validation_error";
            }
        } catch (IOException e) {
            // Not JSON (a proxy's HTML page, for example): fall back to the status below.
            return "http_" + status;
        }
        return "http_" + status;
    }

    private Outcome webSocket(PlannedRequest request) throws InterruptedException {
        String query = "?model_id=" + URLEncoder.encode(request.modelId(), StandardCharsets.UTF_8)
                + "&output_format=mp3_44100_128";
        URI uri = resolve("/v1/text-to-speech/" + request.voiceId() + "/stream-input" + query);
        URI wsUri = URI.create(uri.toString().replaceFirst("^http", "ws"));
        StreamInputListener listener = new StreamInputListener(clock);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout)
                .header("xi-api-key", request.apiKey());
        if (request.priority() != null) {
            builder.header(PRIORITY_HEADER, request.priority());
        }
        long timeoutMillis = timeout.toMillis();
        WebSocket socket;
        try {
            socket = builder.buildAsync(wsUri, listener).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return handshakeFailure(e.getCause());
        } catch (TimeoutException e) {
            return new Outcome.Failure(0, "timeout", 0);
        }
        try {
            socket.sendText("{\"text\":\" \"}", true).get(timeoutMillis, TimeUnit.MILLISECONDS);
            ObjectNode chunk = JSON.createObjectNode().put("text", request.text() + " ").put("flush", true);
            socket.sendText(chunk.toString(), true).get(timeoutMillis, TimeUnit.MILLISECONDS);
            socket.sendText("{\"text\":\"\"}", true).get(timeoutMillis, TimeUnit.MILLISECONDS);
            return listener.result().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return new Outcome.Failure(101, "ws_error", listener.firstAudioAt());
        } catch (TimeoutException e) {
            return new Outcome.Failure(101, "timeout", listener.firstAudioAt());
        } finally {
            socket.abort();
        }
    }

    private static Outcome handshakeFailure(Throwable cause) {
        Throwable root = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof WebSocketHandshakeException handshake) {
            HttpResponse<?> response = handshake.getResponse();
            Object body = response.body();
            byte[] bytes = body instanceof byte[] array ? array
                    : body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
            return new Outcome.Failure(response.statusCode(), errorType(response.statusCode(), bytes), 0);
        }
        if (root instanceof ConnectException) {
            return new Outcome.Failure(0, "connect_error", 0);
        }
        if (root instanceof HttpTimeoutException) {
            return new Outcome.Failure(0, "timeout", 0);
        }
        return new Outcome.Failure(0, "io_error", 0);
    }

    private URI resolve(String pathAndQuery) {
        String base = target.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
    }

    /** Returns a mono 16-bit PCM WAV file of silence with {@code samples} samples at 16 kHz. */
    static byte[] silentWav(int samples) {
        int dataBytes = samples * 2;
        ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII)).put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000)
                .putShort((short) 2).putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII))
                .putInt(dataBytes);
        return wav.array();
    }

    /** Collects a stream-input session: first audio message, {@code isFinal}, errors and close codes. */
    private static final class StreamInputListener implements WebSocket.Listener {
        private final LongSupplier clock;
        private final CompletableFuture<Outcome> result = new CompletableFuture<>();
        private final AtomicLong firstAudioAt = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final StringBuilder partial = new StringBuilder();

        StreamInputListener(LongSupplier clock) {
            this.clock = clock;
        }

        CompletableFuture<Outcome> result() {
            return result;
        }

        long firstAudioAt() {
            return firstAudioAt.get();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                onMessage(message);
            }
            webSocket.request(1);
            return null;
        }

        private void onMessage(String message) {
            try {
                JsonNode node = JSON.readTree(message);
                if (node.hasNonNull("audio") && !node.get("audio").asText().isEmpty()) {
                    firstAudioAt.compareAndSet(0, clock.getAsLong());
                    bytes.addAndGet(node.get("audio").asText().length() * 3L / 4);
                }
                if (node.path("isFinal").asBoolean(false)) {
                    result.complete(new Outcome.Success(101, firstAudioAt.get(), bytes.get()));
                } else if (node.hasNonNull("error")) {
                    result.complete(new Outcome.Failure(101, node.get("error").asText(), firstAudioAt.get()));
                }
            } catch (IOException e) {
                result.complete(new Outcome.Failure(101, "invalid_message", firstAudioAt.get()));
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            result.complete(statusCode == WebSocket.NORMAL_CLOSURE && firstAudioAt.get() != 0
                    ? new Outcome.Success(101, firstAudioAt.get(), bytes.get())
                    : new Outcome.Failure(101, "ws_closed_" + statusCode, firstAudioAt.get()));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            result.complete(new Outcome.Failure(101, "ws_error", firstAudioAt.get()));
        }
    }
}
