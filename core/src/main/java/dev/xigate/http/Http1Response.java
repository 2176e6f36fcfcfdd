package dev.xigate.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Returns one upstream answer: status and headers at once, the body as a stream that reads from the connection
 * as bytes arrive.
 *
 * <p>When the body has been read to its end on a keep-alive connection, the connection goes back to the pool at
 * once; closing the response before that closes the connection instead (after draining a remainder that is already
 * buffered, so a small error body read only in part does not cost a new connection). Closing twice, or from another
 * thread while a read is blocked, is safe: the blocked read then fails.
 */
public final class Http1Response implements AutoCloseable {
    private static final int OPEN = 0;
    private static final int RELEASED = 1;
    private static final int CLOSED = 2;
    private static final int MAX_CHUNK_LINE_BYTES = 4096;
    private static final int MAX_TRAILER_BYTES = 8192;

    private final int status;
    private final Map<String, List<String>> headers;
    private final long contentLength;
    private final Connection connection;
    private final ConnectionPool pool;
    private final boolean keepAlive;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final Body body;

    Http1Response(int status, Map<String, List<String>> headers, Framing framing, long contentLength,
            boolean keepAlive, Connection connection, ConnectionPool pool) {
        this.status = status;
        this.headers = headers;
        this.contentLength = framing == Framing.FIXED ? contentLength : framing == Framing.EMPTY ? 0 : -1;
        this.connection = connection;
        this.pool = pool;
        this.keepAlive = keepAlive && framing != Framing.UNTIL_CLOSE;
        this.body = switch (framing) {
            case EMPTY -> new FixedLengthBody(0);
            case FIXED -> new FixedLengthBody(contentLength);
            case CHUNKED -> new ChunkedBody();
            case UNTIL_CLOSE -> new CloseDelimitedBody();
        };
        if (this.contentLength == 0) {
            body.end();
        }
    }

    /** How the body's end is known. */
    enum Framing {
        /** No body at all (HEAD, 1xx, 204, 304). */
        EMPTY,
        /** {@code Content-Length} bytes. */
        FIXED,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Until the server closes the connection. */
        UNTIL_CLOSE
    }

    /** Returns the HTTP status code. */
    public int status() {
        return status;
    }

    /** Returns the headers, names in lower case, values in the order received. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Returns the first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Returns the body's length when the upstream declared it ({@code 0} for no body), otherwise -1. */
    public long contentLength() {
        return contentLength;
    }

    /** Returns the body; it is read once, and ends with -1 after the last byte. */
    public InputStream body() {
        return body;
    }

    /** Returns whether the connection went back to the pool (the body was read to its end). */
    boolean isReleased() {
        return state.get() == RELEASED;
    }

    @Override
    public void close() {
        if (state.get() != OPEN) {
            return;
        }
        if (!body.ended) {
            body.drainBuffered();
        }
        if (state.get() == OPEN && state.compareAndSet(OPEN, CLOSED)) {
            connection.close();
        }
    }

    private void released() {
        if (keepAlive && !connection.input().hasBuffered() && state.compareAndSet(OPEN, RELEASED)) {
            pool.release(connection);
        } else if (state.compareAndSet(OPEN, CLOSED)) {
            connection.close();
        }
    }

    private void broken() {
        if (state.compareAndSet(OPEN, CLOSED)) {
            connection.close();
        }
    }

    /** The body stream: counts, detects the end, gives the connection back or closes it. */
    private abstract class Body extends InputStream {
        volatile boolean ended;
        // Held by the thread reading the body, or by close() while it drains; a close from another thread during a
        // blocked read finds it taken and closes the socket instead, which ends that read.
        private final AtomicBoolean busy = new AtomicBoolean();

        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public final int read(byte[] target, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, target.length);
            if (ended) {
                return -1;
            }
            if (state.get() == CLOSED) {
                throw new IOException("response closed");
            }
            if (length == 0) {
                return 0;
            }
            if (!busy.compareAndSet(false, true)) {
                throw new IOException("response body read by two threads at once, or closed during the read");
            }
            try {
                int n = readBody(target, offset, length);
                if (n < 0) {
                    end();
                }
                return n;
            } catch (IOException | RuntimeException e) {
                broken();
                throw e;
            } finally {
                busy.set(false);
            }
        }

        @Override
        public final void close() {
            Http1Response.this.close();
        }

        final void end() {
            if (!ended) {
                ended = true;
                released();
            }
        }

        /** Reads what is already buffered to the end of the body, if it is all there; never waits for the socket. */
        final void drainBuffered() {
            if (!busy.compareAndSet(false, true)) {
                return;
            }
            ResponseInput input = connection.input();
            byte[] scratch = new byte[1024];
            input.nonBlocking(true);
            try {
                while (!ended && state.get() == OPEN) {
                    if (readBody(scratch, 0, scratch.length) < 0) {
                        end();
                    }
                }
            } catch (IOException | RuntimeException notAllThere) {
                // The rest of the body has not arrived: the connection is closed by the caller.
            } finally {
                input.nonBlocking(false);
                busy.set(false);
            }
        }

        /** Returns up to {@code length} body bytes, or -1 at the end of the body (the end must be detected here). */
        abstract int readBody(byte[] target, int offset, int length) throws IOException;
    }

    private final class FixedLengthBody extends Body {
        private long remaining;

        FixedLengthBody(long length) {
            this.remaining = length;
        }

        @Override
        int readBody(byte[] target, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = connection.input().read(target, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("upstream closed the connection " + remaining + " bytes before the end of"
                        + " the body");
            }
            remaining -= n;
            if (remaining == 0) {
                // Give the connection back as soon as the last byte is in, not on the caller's next read.
                ended = true;
                released();
            }
            return n;
        }
    }

    private final class ChunkedBody extends Body {
        private long chunkRemaining;
        private boolean afterChunk;

        @Override
        int readBody(byte[] target, int offset, int length) throws IOException {
            ResponseInput input = connection.input();
            if (chunkRemaining == 0) {
                if (afterChunk) {
                    String crlf = input.readLine(MAX_CHUNK_LINE_BYTES);
                    if (crlf == null || !crlf.isEmpty()) {
                        throw new ProtocolException("chunk not followed by CRLF");
                    }
                    afterChunk = false;
                }
                long size = chunkSize(input.readLine(MAX_CHUNK_LINE_BYTES));
                if (size == 0) {
                    skipTrailers(input);
                    return -1;
                }
                chunkRemaining = size;
            }
            int n = input.read(target, offset, (int) Math.min(length, chunkRemaining));
            if (n < 0) {
                throw new EOFException("upstream closed the connection inside a chunk");
            }
            chunkRemaining -= n;
            afterChunk = chunkRemaining == 0;
            return n;
        }

        private static long chunkSize(String line) throws IOException {
            if (line == null) {
                throw new EOFException("upstream closed the connection before the next chunk");
            }
            int end = line.indexOf(';');
            String hex = (end < 0 ? line : line.substring(0, end)).trim();
            if (hex.isEmpty() || hex.length() > 15) {
                throw new ProtocolException("invalid chunk size line: " + abbreviate(line));
            }
            try {
                return Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("invalid chunk size line: " + abbreviate(line));
            }
        }

        private static void skipTrailers(ResponseInput input) throws IOException {
            int total = 0;
            String line;
            while ((line = input.readLine(MAX_TRAILER_BYTES)) != null && !line.isEmpty()) {
                total += line.length();
                if (total > MAX_TRAILER_BYTES) {
                    throw new ProtocolException("trailers longer than " + MAX_TRAILER_BYTES + " bytes");
                }
            }
            if (line == null) {
                throw new EOFException("upstream closed the connection inside the trailers");
            }
        }
    }

    private final class CloseDelimitedBody extends Body {
        @Override
        int readBody(byte[] target, int offset, int length) throws IOException {
            return connection.input().read(target, offset, length);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
