package dev.xigate.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a connection's input: lines of the response head, then raw body bytes, through one buffer.
 *
 * <p>A read of body bytes returns what one socket read brings, so streamed audio reaches the caller as it arrives.
 * Not thread-safe: one exchange at a time owns it.
 */
final class ResponseInput {
    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;
    private long bytesReceived;
    private boolean nonBlocking;

    ResponseInput(InputStream in, int bufferBytes) {
        this.in = in;
        this.buffer = new byte[bufferBytes];
    }

    /** Returns whether bytes are buffered and not yet consumed (a server that sent more than one answer). */
    boolean hasBuffered() {
        return position < limit;
    }

    /** Returns how many bytes this connection has received so far. */
    long bytesReceived() {
        return bytesReceived;
    }

    /**
     * Sets whether reads may only consume what is buffered: in that mode a read that would have to wait for the
     * socket throws {@link WouldBlockException} instead.
     */
    void nonBlocking(boolean value) {
        nonBlocking = value;
    }

    /**
     * Returns the next line without its CRLF (a bare LF is accepted), or {@code null} at end of stream before any
     * byte of the line.
     *
     * @throws ProtocolException if the line is longer than {@code maxBytes}
     */
    String readLine(int maxBytes) throws IOException {
        StringBuilder line = null;
        while (true) {
            if (position == limit && fill() < 0) {
                if (line == null) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a response line");
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            if (line == null) {
                line = new StringBuilder(Math.max(length, 16));
            }
            line.append(new String(buffer, start, length, StandardCharsets.ISO_8859_1));
            if (line.length() > maxBytes) {
                throw new ProtocolException("response line longer than " + maxBytes + " bytes");
            }
            if (position < limit) {
                position++;
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
        }
    }

    /** Reads up to {@code length} bytes: buffered ones first, else one socket read; -1 at end of stream. */
    int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit) {
            if (length >= buffer.length && !nonBlocking) {
                // A large read goes straight to the socket instead of through the buffer.
                int n = in.read(target, offset, length);
                if (n > 0) {
                    bytesReceived += n;
                }
                return n;
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    /** Reads one byte, or -1 at end of stream. */
    int read() throws IOException {
        if (position == limit && fill() < 0) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    private int fill() throws IOException {
        if (nonBlocking) {
            throw new WouldBlockException();
        }
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n > 0) {
            limit = n;
            bytesReceived += n;
        }
        return n;
    }

    /** Thrown by a read in non-blocking mode that would have to wait for the socket. */
    static final class WouldBlockException extends IOException {
        private static final long serialVersionUID = 1L;

        WouldBlockException() {
            super("no buffered bytes left");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            // Expected control flow while draining: the stack trace would only cost time.
            return this;
        }
    }
}
