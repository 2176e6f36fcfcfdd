package dev.xigate.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Sends HTTP/1.1 requests to one origin over pooled keep-alive connections, on the calling thread.
 *
 * <p>Made for a proxy's upstream hop on virtual threads: a request is serialised and written in one write, the
 * response head is read on the caller's thread within a per-call timeout, and the body streams back through
 * {@link Http1Response#body()}. {@code https} origins are reached over TLS with host name verification and ALPN
 * {@code http/1.1}. A request that fails on a reused connection before any byte of the answer arrived (the server
 * had closed the idle connection) is sent once more on a new connection: the server cannot have started on it.
 * Thread-safe; close it to close the idle connections.
 *
 * <pre>{@code
 * try (Http1Client client = Http1Client.builder(URI.create("http://127.0.0.1:8090")).build();
 *         Http1Response response = client.send("GET", "/v1/models", Map.of("xi-api-key", List.of(key)),
 *                 new byte[0], Duration.ofSeconds(10))) {
 *     byte[] json = response.body().readAllBytes();
 * }
 * }</pre>
 */
public final class Http1Client implements AutoCloseable {
    /** Request header names the client writes itself or that must not travel on a kept-alive hop. */
    public static final Set<String> MANAGED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "expect");

    private static final int MAX_STATUS_LINE_BYTES = 8192;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADER_COUNT = 256;
    private static final byte[] CRLF = {'\r', '\n'};

    private final String host;
    private final int port;
    private final String hostHeader;
    private final SSLContext sslContext;
    private final Duration connectTimeout;
    private final int bodyReadTimeoutMillis;
    private final int bufferBytes;
    private final LongSupplier nanoClock;
    private final ConnectionPool pool;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong staleRetries = new AtomicLong();

    private Http1Client(Builder builder) {
        URI origin = builder.origin;
        boolean tls = "https".equalsIgnoreCase(origin.getScheme());
        this.host = origin.getHost();
        int defaultPort = tls ? 443 : 80;
        this.port = origin.getPort() < 0 ? defaultPort : origin.getPort();
        String literal = host.contains(":") ? "[" + host + "]" : host;
        this.hostHeader = port == defaultPort ? literal : literal + ":" + port;
        this.sslContext = tls ? builder.sslContext() : null;
        this.connectTimeout = builder.connectTimeout;
        this.bodyReadTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, builder.bodyReadTimeout.toMillis());
        this.bufferBytes = builder.bufferBytes;
        this.nanoClock = builder.nanoClock;
        this.pool = new ConnectionPool(builder.maxIdleConnections, builder.idleTimeout.toNanos(), nanoClock);
    }

    /**
     * Creates a builder for an origin.
     *
     * @param origin {@code http://host[:port]} or {@code https://host[:port]}; a path, if any, is ignored
     */
    public static Builder builder(URI origin) {
        return new Builder(origin);
    }

    /**
     * Returns the answer to one request once its head has arrived; the caller reads the body and closes it.
     *
     * @param method the method, for example {@code POST}
     * @param target the path and query, starting with {@code /}
     * @param headers headers to send; {@link #MANAGED_HEADERS} among them are left out, the client writes its own
     * @param body the request body, possibly empty
     * @param headTimeout how long to wait from now until the response head is in, connecting included
     * @throws HttpTimeoutException if the head did not arrive in time ({@link HttpConnectTimeoutException} when
     *     the connection could not even be opened in time)
     * @throws ProtocolException if the answer is not well-formed HTTP/1.1
     * @throws IOException if the connection failed
     * @throws InterruptedException if the calling thread was interrupted (its socket is then closed)
     */
    public Http1Response send(String method, String target, Map<String, List<String>> headers, byte[] body,
            Duration headTimeout) throws IOException, InterruptedException {
        Objects.requireNonNull(body, "body");
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("target: " + target + " (expected: a path starting with /)");
        }
        long deadlineNanos = nanoClock.getAsLong() + Math.max(1, headTimeout.toNanos());
        RequestBytes request = serialise(method, target, headers, body);
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted before sending " + method + " " + target);
        }
        Connection connection = pool.take();
        boolean pooled = connection != null;
        if (pooled) {
            reused.incrementAndGet();
        } else {
            connection = open(deadlineNanos);
        }
        try {
            return exchange(connection, method, request, deadlineNanos, headTimeout);
        } catch (StaleConnectionException stale) {
            if (!pooled) {
                throw stale.failure;
            }
            // The server had closed the kept-alive connection before it could read this request: send it again.
            staleRetries.incrementAndGet();
            return exchangeOrThrow(open(deadlineNanos), method, request, deadlineNanos, headTimeout);
        }
    }

    /** Returns how many connections were opened. */
    public long connectionsOpened() {
        return opened.get();
    }

    /** Returns how many requests went out on a reused connection. */
    public long connectionsReused() {
        return reused.get();
    }

    /** Returns how many requests were sent again after a reused connection turned out closed. */
    public long staleRetries() {
        return staleRetries.get();
    }

    /** Returns how many idle connections the pool keeps now. */
    public int idleConnections() {
        return pool.idleCount();
    }

    /** Closes the idle connections; responses still being read keep theirs until they end. */
    @Override
    public void close() {
        pool.close();
    }

    private Http1Response exchangeOrThrow(Connection connection, String method, RequestBytes request,
            long deadlineNanos, Duration headTimeout) throws IOException, InterruptedException {
        try {
            return exchange(connection, method, request, deadlineNanos, headTimeout);
        } catch (StaleConnectionException stale) {
            throw stale.failure;
        }
    }

    private Http1Response exchange(Connection connection, String method, RequestBytes request, long deadlineNanos,
            Duration headTimeout) throws IOException, InterruptedException, StaleConnectionException {
        connection.startExchange();
        ResponseInput input = connection.input();
        long receivedBefore = input.bytesReceived();
        boolean ok = false;
        try {
            connection.readTimeoutMillis(remainingMillis(deadlineNanos, headTimeout));
            connection.write(request.bytes, request.length);
            Http1Response response = readResponse(connection, method, deadlineNanos, headTimeout);
            connection.readTimeoutMillis(bodyReadTimeoutMillis);
            ok = true;
            return response;
        } catch (SocketTimeoutException timeout) {
            throw new HttpTimeoutException("upstream sent no response head within " + headTimeout.toMillis()
                    + " ms");
        } catch (HttpTimeoutException timeout) {
            throw timeout;
        } catch (IOException failure) {
            if (Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException("interrupted while waiting for "
                        + hostHeader);
                interrupted.initCause(failure);
                throw interrupted;
            }
            if (connection.isReused() && input.bytesReceived() == receivedBefore
                    && !(failure instanceof InterruptedIOException)) {
                throw new StaleConnectionException(failure);
            }
            throw failure;
        } finally {
            if (!ok) {
                connection.close();
            }
        }
    }

    private Http1Response readResponse(Connection connection, String method, long deadlineNanos,
            Duration headTimeout) throws IOException {
        ResponseInput input = connection.input();
        while (true) {
            String statusLine = input.readLine(MAX_STATUS_LINE_BYTES);
            if (statusLine == null) {
                throw new EOFException("upstream closed the connection before answering");
            }
            int status = parseStatus(statusLine);
            Map<String, List<String>> headers = readHeaders(input);
            if (status >= 100 && status < 200) {
                if (status == 101) {
                    throw new ProtocolException("upstream switched protocols without being asked to");
                }
                // An interim answer (100 Continue, 103 Early Hints): the real one follows within the same deadline.
                connection.readTimeoutMillis(remainingMillis(deadlineNanos, headTimeout));
                continue;
            }
            boolean keepAlive = statusLine.startsWith("HTTP/1.1") && !hasToken(headers.get("connection"), "close");
            Http1Response.Framing framing;
            long length = -1;
            List<String> transferEncoding = headers.get("transfer-encoding");
            if ("HEAD".equals(method) || status == 204 || status == 304) {
                framing = Http1Response.Framing.EMPTY;
            } else if (transferEncoding != null) {
                framing = lastToken(transferEncoding).equals("chunked")
                        ? Http1Response.Framing.CHUNKED : Http1Response.Framing.UNTIL_CLOSE;
            } else if (headers.containsKey("content-length")) {
                framing = Http1Response.Framing.FIXED;
                length = contentLength(headers.get("content-length"));
            } else {
                framing = Http1Response.Framing.UNTIL_CLOSE;
            }
            return new Http1Response(status, headers, framing, length, keepAlive, connection, pool);
        }
    }

    private static int parseStatus(String line) throws ProtocolException {
        // "HTTP/1.1 200 OK": the reason phrase may be empty or missing.
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' '
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new ProtocolException("invalid status line: " + Http1Response.abbreviate(line));
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("invalid status line: " + Http1Response.abbreviate(line));
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100) {
            throw new ProtocolException("invalid status code: " + status);
        }
        return status;
    }

    private static Map<String, List<String>> readHeaders(ResponseInput input) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int total = 0;
        int count = 0;
        String line;
        while (!(line = requireLine(input)).isEmpty()) {
            total += line.length();
            if (total > MAX_HEADER_BYTES || ++count > MAX_HEADER_COUNT) {
                throw new ProtocolException("response head larger than " + MAX_HEADER_BYTES + " bytes or "
                        + MAX_HEADER_COUNT + " headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new ProtocolException("invalid header line: " + Http1Response.abbreviate(line));
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
        }
        return headers;
    }

    private static String requireLine(ResponseInput input) throws IOException {
        String line = input.readLine(MAX_HEADER_BYTES);
        if (line == null) {
            throw new EOFException("upstream closed the connection inside the response head");
        }
        return line;
    }

    private static long contentLength(List<String> values) throws ProtocolException {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",")) {
                long parsed;
                try {
                    parsed = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new ProtocolException("invalid content-length: " + Http1Response.abbreviate(value));
                }
                if (parsed < 0 || (length >= 0 && parsed != length)) {
                    throw new ProtocolException("invalid content-length: " + Http1Response.abbreviate(value));
                }
                length = parsed;
            }
        }
        return length;
    }

    private static boolean hasToken(List<String> values, String token) {
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String lastToken(List<String> values) {
        String last = values.get(values.size() - 1);
        int comma = last.lastIndexOf(',');
        return last.substring(comma + 1).trim().toLowerCase(Locale.ROOT);
    }

    private Connection open(long deadlineNanos) throws IOException, InterruptedException {
        long leftNanos = deadlineNanos - nanoClock.getAsLong();
        int timeoutMillis = (int) Math.max(1, Math.min(connectTimeout.toMillis(),
                TimeUnit.NANOSECONDS.toMillis(leftNanos)));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            if (sslContext != null) {
                socket = handshake(socket, timeoutMillis);
            }
            opened.incrementAndGet();
            return new Connection(socket, bufferBytes);
        } catch (SocketTimeoutException timeout) {
            socket.close();
            throw new HttpConnectTimeoutException("connecting to " + hostHeader + " took longer than "
                    + timeoutMillis + " ms");
        } catch (IOException | RuntimeException failure) {
            socket.close();
            if (Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException("interrupted while connecting to "
                        + hostHeader);
                interrupted.initCause(failure);
                throw interrupted;
            }
            throw failure;
        }
    }

    private Socket handshake(Socket plain, int timeoutMillis) throws IOException {
        SSLSocket tls = (SSLSocket) sslContext.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(timeoutMillis);
        tls.startHandshake();
        return tls;
    }

    private int remainingMillis(long deadlineNanos, Duration headTimeout) throws HttpTimeoutException {
        long left = deadlineNanos - nanoClock.getAsLong();
        if (left <= 0) {
            throw new HttpTimeoutException("upstream sent no response head within " + headTimeout.toMillis()
                    + " ms");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    private RequestBytes serialise(String method, String target, Map<String, List<String>> headers, byte[] body) {
        RequestBytes out = new RequestBytes(256 + body.length);
        out.ascii(checkToken(method, "method")).ascii(" ").ascii(checkText(target, "target")).ascii(" HTTP/1.1")
                .crlf();
        out.ascii("Host: ").ascii(hostHeader).crlf();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey();
            if (MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            checkToken(name, "header name");
            for (String value : header.getValue()) {
                out.ascii(name).ascii(": ").text(checkText(value, name)).crlf();
            }
        }
        if (body.length > 0 || !("GET".equals(method) || "HEAD".equals(method) || "DELETE".equals(method)
                || "OPTIONS".equals(method))) {
            out.ascii("Content-Length: ").ascii(Integer.toString(body.length)).crlf();
        }
        out.crlf();
        out.bytes(body);
        return out;
    }

    private static String checkToken(String value, String what) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + ": '' (expected: an HTTP token)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException(what + ": " + Http1Response.abbreviate(value)
                        + " (expected: an HTTP token)");
            }
        }
        return value;
    }

    private static String checkText(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(what + ": value with a line break (expected: one line)");
            }
        }
        return value;
    }

    /** A request being serialised: grows as needed, written in one call. */
    private static final class RequestBytes {
        private byte[] bytes;
        private int length;

        RequestBytes(int capacity) {
            bytes = new byte[capacity];
        }

        RequestBytes ascii(String text) {
            ensure(text.length());
            for (int i = 0; i < text.length(); i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
            return this;
        }

        RequestBytes text(String text) {
            // Header values are ISO-8859-1 on the wire; anything beyond it is sent as UTF-8, as browsers do.
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) > 0xff) {
                    return bytes(text.getBytes(StandardCharsets.UTF_8));
                }
            }
            return bytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        RequestBytes crlf() {
            return bytes(CRLF);
        }

        RequestBytes bytes(byte[] more) {
            ensure(more.length);
            System.arraycopy(more, 0, bytes, length, more.length);
            length += more.length;
            return this;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    /** A failure on a reused connection before any byte of the answer: the request may be sent again. */
    private static final class StaleConnectionException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient IOException failure;

        StaleConnectionException(IOException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    /** Creates an {@link Http1Client}; setters validate their argument at once. */
    public static final class Builder {
        private final URI origin;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration bodyReadTimeout = Duration.ofMinutes(5);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxIdleConnections = 256;
        private int bufferBytes = 16 * 1024;
        private SSLContext sslContext;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(URI origin) {
            Objects.requireNonNull(origin, "origin");
            String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || origin.getHost() == null) {
                throw new IllegalArgumentException("origin: " + origin + " (expected: http://host[:port] or"
                        + " https://host[:port])");
            }
            this.origin = origin;
        }

        /** Sets the TCP (and TLS) connect timeout; 5 s by default, never longer than the call's head timeout. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /**
         * Sets the longest silence while a body is read before the read fails; 5 minutes by default. It is a
         * safety net under the caller's own stall detection, not a tuned value.
         */
        public Builder bodyReadTimeout(Duration value) {
            this.bodyReadTimeout = positive(value, "bodyReadTimeout");
            return this;
        }

        /** Sets how long an idle connection is kept for reuse; 30 s by default, below common server timeouts. */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = positive(value, "idleTimeout");
            return this;
        }

        /** Sets how many idle connections are kept at most; 256 by default. */
        public Builder maxIdleConnections(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxIdleConnections: " + value + " (expected: >= 0)");
            }
            this.maxIdleConnections = value;
            return this;
        }

        /** Sets each connection's read buffer size; 16 KiB by default. */
        public Builder bufferBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("bufferBytes: " + value + " (expected: >= 1024)");
            }
            this.bufferBytes = value;
            return this;
        }

        /** Sets the TLS context for {@code https} origins; the JDK's default context by default. */
        public Builder sslContext(SSLContext value) {
            this.sslContext = Objects.requireNonNull(value, "sslContext");
            return this;
        }

        /** Sets the monotonic clock for deadlines and idle ages; {@code System::nanoTime} by default. */
        public Builder nanoClock(LongSupplier value) {
            this.nanoClock = Objects.requireNonNull(value, "nanoClock");
            return this;
        }

        /** Returns the client. */
        public Http1Client build() {
            return new Http1Client(this);
        }

        private SSLContext sslContext() {
            if (sslContext != null) {
                return sslContext;
            }
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context in this JDK", e);
            }
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
