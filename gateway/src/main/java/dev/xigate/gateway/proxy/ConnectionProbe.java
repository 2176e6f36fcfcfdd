package dev.xigate.gateway.proxy;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether the client of an HTTP/1.1 request is still connected, while the request waits in a queue.
 *
 * <p>Helidon's blocking connection model notices a closed connection only when it next reads or writes, and its
 * public API has no "client went away" signal. A queued request must leave its queue as soon as its client hangs
 * up, so the probe looks at the connection's socket channel directly: a non-blocking read of one byte returns -1
 * (or fails) once the client has closed. The request's own thread is the only one using the connection while the
 * handler runs, so switching the channel to non-blocking for an instant is safe. Should the client have sent
 * bytes of a pipelined next request, they cannot be put back; the probe then reports the connection as alive and
 * asks for the connection to be closed after the response ({@link #mustCloseAfterResponse()}).
 *
 * <p>Reaching the channel takes reflection into Helidon's internals (the request's connection context). If a
 * Helidon version changes them, the probe logs one warning and reports every client as connected: queued
 * requests of departed clients then wait until their slot or their queue timeout, as before.
 */
public final class ConnectionProbe implements BooleanSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionProbe.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final FieldCache FIELDS = new FieldCache();

    private final SocketChannel channel;
    private volatile boolean closed;
    private volatile boolean mustClose;

    private ConnectionProbe(SocketChannel channel) {
        this.channel = channel;
    }

    /** Returns a probe for the connection a request arrived on. */
    public static ConnectionProbe of(ServerRequest request) {
        return new ConnectionProbe(channelOf(request));
    }

    /** Returns a probe that always reports a connected client. */
    public static ConnectionProbe alwaysConnected() {
        return new ConnectionProbe(null);
    }

    @Override
    public boolean getAsBoolean() {
        if (channel == null || closed || mustClose) {
            return !closed;
        }
        try {
            synchronized (channel.blockingLock()) {
                channel.configureBlocking(false);
                try {
                    int read = channel.read(ByteBuffer.allocate(1));
                    if (read < 0) {
                        closed = true;
                    } else if (read > 0) {
                        mustClose = true;
                    }
                } finally {
                    channel.configureBlocking(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            closed = true;
        }
        return !closed;
    }

    /** Returns whether the probe consumed request bytes, so that the connection must not be reused. */
    public boolean mustCloseAfterResponse() {
        return mustClose;
    }

    private static SocketChannel channelOf(ServerRequest request) {
        try {
            Object connection = FIELDS.get(request.getClass(), "ctx").get(request);
            Object channel = FIELDS.get(connection.getClass(), "socket").get(connection);
            if (channel instanceof SocketChannel socketChannel) {
                return socketChannel;
            }
            throw new IllegalStateException("connection socket: " + channel.getClass().getName()
                    + " (expected: a SocketChannel)");
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("- Cannot watch client connections, queued requests of departed clients wait for their"
                        + " slot reason={}", e.toString());
            }
            return null;
        }
    }

    /** Caches the reflected fields per class, so a request pays a map lookup, not a reflective search. */
    private static final class FieldCache {
        private final Map<String, Field> fields = new ConcurrentHashMap<>();

        Field get(Class<?> type, String name) throws NoSuchFieldException {
            String key = type.getName() + '#' + name;
            Field cached = fields.get(key);
            if (cached == null) {
                cached = field(type, name);
                fields.put(key, cached);
            }
            return cached;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            try {
                Field field = current.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
