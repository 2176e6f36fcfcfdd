package dev.xigate.loadtest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;

/**
 * A minimal HTTP/1.1 client for plain-HTTP targets, used instead of the JDK client for requests with a body.
 *
 * <p>Why: the JDK client writes a request's headers and body in two TCP segments on a socket without
 * {@code TCP_NODELAY}; Nagle's algorithm then holds the body until the server acknowledges the headers, which a
 * Linux server delays by about 40 ms. Every small POST measured through the JDK client therefore carried a 40 ms
 * floor that no real SDK (curl, Node, httpx all set {@code TCP_NODELAY}) has. This client sets {@code TCP_NODELAY}
 * and writes each request in one write. It keeps idle connections for reuse (keep-alive), reads
 * {@code content-length}, chunked and until-close bodies, and reconnects once when a reused connection turns out
 * to be closed before any answer byte. Thread-safe.
 */
final class Http1Client implements AutoCloseable {
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final LongSupplier clock;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    /** Receives the body of an answer as it arrives. */
    interface BodySink {
        /** Takes the next {@code length} bytes of the body. */
        void accept(byte[] buffer, int length);
    }

    /**
     * The head of an answer.
     *
     * @param status the HTTP status
     * @param headers the headers, lower-case names (last value wins)
     */
    record Head(int status, Map<String, String> headers) {
    }

    /**
     * Creates a client for one origin.
     *
     * @param target an {@code http://} URL whose host and port are used
     * @param connectTimeout the connect timeout
     * @param clock the run clock in nanoseconds
     */
    Http1Client(URI target, Duration connectTimeout, LongSupplier clock) {
        this.host = target.getHost();
        this.port = target.getPort() < 0 ? 80 : target.getPort();
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /**
     * Sends one request and streams its answer's body into {@code sink}.
     *
     * @param method the method
     * @param pathAndQuery the request target, starting with {@code /}
     * @param headers the request headers (host, content-length and connection are added)
     * @param body the body, may be empty
     * @param deadlineNanos the run-clock time by which the whole answer must have arrived
     * @param sink where the body goes
     * @return the answer's head
     * @throws SocketTimeoutException when the deadline passes
     * @throws IOException on a transport failure
     */
    Head exchange(String method, String pathAndQuery, Map<String, String> headers, byte[] body, long deadlineNanos,
            BodySink sink) throws IOException {
        byte[] request = encode(method, pathAndQuery, headers, body);
        Connection pooled = idle.pollFirst();
        if (pooled != null) {
            try {
                return exchangeOn(pooled, request, deadlineNanos, sink);
            } catch (StaleConnectionException e) {
                pooled.closeQuietly();
            }
        }
        Connection fresh = connect(deadlineNanos);
        try {
            return exchangeOn(fresh, request, deadlineNanos, sink);
        } catch (StaleConnectionException e) {
            throw new EOFException("connection closed before the answer");
        }
    }

    private Connection connect(long deadlineNanos) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            long remainingMillis = Math.max(1, (deadlineNanos - clock.getAsLong()) / 1_000_000);
            socket.connect(new InetSocketAddress(host, port),
                    (int) Math.min(connectTimeout.toMillis(), remainingMillis));
            return new Connection(socket, new BufferedInputStream(socket.getInputStream(), 16 * 1024),
                    socket.getOutputStream());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private Head exchangeOn(Connection connection, byte[] request, long deadlineNanos, BodySink sink)
            throws IOException {
        boolean reusable = false;
        connection.resetAnswered();
        try {
            setTimeout(connection, deadlineNanos);
            Head head;
            try {
                connection.out().write(request);
                connection.out().flush();
                head = readHead(connection, deadlineNanos);
            } catch (SocketTimeoutException | StaleConnectionException e) {
                throw e;
            } catch (IOException e) {
                if (connection.answered()) {
                    throw e;
                }
                // Reset or broken pipe before any answer byte on a kept-alive connection: the server closed it.
                throw new StaleConnectionException();
            }
            while (head.status() >= 100 && head.status() < 200) {
                head = readHead(connection, deadlineNanos);
            }
            reusable = readBody(connection, head, deadlineNanos, sink)
                    && !"close".equalsIgnoreCase(head.headers().getOrDefault("connection", ""));
            return head;
        } finally {
            if (reusable) {
                idle.offerFirst(connection);
            } else {
                connection.closeQuietly();
            }
        }
    }

    private Head readHead(Connection connection, long deadlineNanos) throws IOException {
        String statusLine = readLine(connection, deadlineNanos, true);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("invalid status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new HashMap<>();
        int total = statusLine.length();
        String line;
        while (!(line = readLine(connection, deadlineNanos, false)).isEmpty()) {
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("answer headers larger than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1)
                        .strip());
            }
        }
        return new Head(status, headers);
    }

    /** Reads the body; returns whether the connection can be reused afterwards. */
    private boolean readBody(Connection connection, Head head, long deadlineNanos, BodySink sink)
            throws IOException {
        Map<String, String> headers = head.headers();
        if (head.status() == 204 || head.status() == 304) {
            return true;
        }
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            long size;
            while ((size = Long.parseLong(readLine(connection, deadlineNanos, false).split(";", 2)[0].strip(),
                    16)) > 0) {
                copy(connection, size, deadlineNanos, sink);
                readLine(connection, deadlineNanos, false);
            }
            while (!readLine(connection, deadlineNanos, false).isEmpty()) {
                // Trailers carry nothing the load tool needs.
                continue;
            }
            return true;
        }
        String length = headers.get("content-length");
        if (length != null) {
            copy(connection, Long.parseLong(length.strip()), deadlineNanos, sink);
            return true;
        }
        copy(connection, Long.MAX_VALUE, deadlineNanos, sink);
        return false;
    }

    private void copy(Connection connection, long length, long deadlineNanos, BodySink sink) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            setTimeout(connection, deadlineNanos);
            int read = connection.in().read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                if (length == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("answer body ended " + left + " bytes early");
            }
            sink.accept(buffer, read);
            left -= read;
        }
    }

    private String readLine(Connection connection, long deadlineNanos, boolean firstOfAnswer) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        setTimeout(connection, deadlineNanos);
        int c;
        while ((c = connection.in().read()) != '\n') {
            if (c >= 0) {
                connection.markAnswered();
            }
            if (c < 0) {
                if (firstOfAnswer && line.size() == 0) {
                    throw new StaleConnectionException();
                }
                throw new EOFException("connection closed in the middle of the answer headers");
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("answer header line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            line.write(c);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private void setTimeout(Connection connection, long deadlineNanos) throws IOException {
        long remainingMillis = (deadlineNanos - clock.getAsLong()) / 1_000_000;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("request deadline passed");
        }
        connection.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
    }

    private byte[] encode(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(pathAndQuery)
                .append(" HTTP/1.1\r\nhost: ").append(host).append(':').append(port).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("content-length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** Closes every idle connection. */
    @Override
    public void close() {
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.closeQuietly();
        }
    }

    /** One TCP connection, its streams, and whether the current exchange has seen an answer byte. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean answered;

        Connection(Socket socket, InputStream in, OutputStream out) {
            this.socket = socket;
            this.in = in;
            this.out = out;
        }

        Socket socket() {
            return socket;
        }

        InputStream in() {
            return in;
        }

        OutputStream out() {
            return out;
        }

        boolean answered() {
            return answered;
        }

        void markAnswered() {
            answered = true;
        }

        void resetAnswered() {
            answered = false;
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a broken socket can fail; there is nothing left to release.
                return;
            }
        }
    }

    /** A reused connection the server had already closed: safe to retry on a new one (nothing was answered). */
    private static final class StaleConnectionException extends IOException {
        StaleConnectionException() {
            super("stale keep-alive connection");
        }
    }
}
