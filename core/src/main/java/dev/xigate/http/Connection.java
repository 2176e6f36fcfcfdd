package dev.xigate.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One open connection to the upstream: its socket, the buffered input its responses are read through, and when
 * it was last given back to the pool. Owned by one exchange at a time; {@link #close()} may come from any thread.
 */
final class Connection {
    private final Socket socket;
    private final ResponseInput input;
    private final OutputStream output;
    private long idleSinceNanos;
    private int exchanges;

    Connection(Socket socket, int bufferBytes) throws IOException {
        this.socket = socket;
        this.input = new ResponseInput(socket.getInputStream(), bufferBytes);
        this.output = socket.getOutputStream();
    }

    ResponseInput input() {
        return input;
    }

    /** Sends a whole request head and body, already serialised, in one write. */
    void write(byte[] request, int length) throws IOException {
        output.write(request, 0, length);
        output.flush();
    }

    /** Sets how long one socket read may block; 0 blocks without limit. */
    void readTimeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Returns how many exchanges this connection has started, counting the current one. */
    int startExchange() {
        return ++exchanges;
    }

    /** Returns whether an earlier exchange already ran on this connection. */
    boolean isReused() {
        return exchanges > 1;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void markIdle(long nowNanos) {
        idleSinceNanos = nowNanos;
    }

    boolean isOpen() {
        return !socket.isClosed() && !socket.isInputShutdown() && !socket.isOutputShutdown();
    }

    /** Closes the socket; harmless when already closed. */
    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is the end of this connection either way
        }
    }
}
