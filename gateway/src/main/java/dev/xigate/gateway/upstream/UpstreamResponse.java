package dev.xigate.gateway.upstream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream's answer: status and headers at once, the body as a stream read while it arrives.
 *
 * <p>Closing it closes the body and releases what the pipeline's stages hold for it (the upstream slot); closing
 * twice is harmless.
 */
public interface UpstreamResponse extends AutoCloseable {
    /** Returns the HTTP status. */
    int status();

    /** Returns the headers, with lower-case names. */
    Map<String, List<String>> headers();

    /** Returns the body, to be read once. */
    InputStream body();

    /** Closes the body and releases the response's resources. */
    @Override
    void close();

    /** Returns the first value of a header, by case-insensitive name. */
    default Optional<String> header(String name) {
        List<String> values = headers().get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Creates a response around a body already in memory. */
    static UpstreamResponse buffered(int status, Map<String, List<String>> headers, byte[] body) {
        return new BufferedResponse(status, Map.copyOf(headers), body);
    }

    /** Creates a response that runs {@code onClose} (once) after closing {@code delegate}. */
    static UpstreamResponse onClose(UpstreamResponse delegate, Runnable onClose) {
        return new ClosingResponse(delegate, onClose);
    }

    /** A response whose body is already in memory. */
    record BufferedResponse(int status, Map<String, List<String>> headers, byte[] bytes) implements UpstreamResponse {
        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    /** A response that runs an action once, after its delegate is closed. */
    final class ClosingResponse implements UpstreamResponse {
        private final UpstreamResponse delegate;
        private final Runnable onClose;
        private boolean closed;

        ClosingResponse(UpstreamResponse delegate, Runnable onClose) {
            this.delegate = delegate;
            this.onClose = onClose;
        }

        @Override
        public int status() {
            return delegate.status();
        }

        @Override
        public Map<String, List<String>> headers() {
            return delegate.headers();
        }

        @Override
        public InputStream body() {
            return delegate.body();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                delegate.close();
            } finally {
                onClose.run();
            }
        }
    }

    /** Reads at most {@code limit} bytes of a body, for small error bodies. */
    static byte[] readSmall(InputStream in, int limit) throws IOException {
        return in.readNBytes(limit);
    }
}
