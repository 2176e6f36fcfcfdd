package dev.xigate.retry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Returns one upstream answer: status, headers and a body stream that the receiver must close. Immutable apart
 * from the stream.
 *
 * @param status the HTTP status
 * @param headers the headers, names compared case-insensitively
 * @param body the body stream
 */
public record UpstreamResponse(int status, Map<String, List<String>> headers, InputStream body) {
    /** Creates a response; header names are kept case-insensitive. */
    public UpstreamResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        TreeMap<String, List<String>> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> caseless.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(caseless);
    }

    /** Returns the first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Returns an integer header's value, or {@code -1} when absent or not a number. */
    public int intHeader(String name) {
        String value = header(name);
        if (value == null) {
            return -1;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException ignored) {
            return -1;
        }
    }

    /**
     * Returns a copy whose body has been read into memory (at most {@code maxBytes}; the rest is dropped), closing
     * this one's stream; used for error bodies, which are small and must be read to classify them.
     */
    public Buffered buffer(int maxBytes) throws IOException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(maxBytes);
            return new Buffered(new UpstreamResponse(status, headers, new ByteArrayInputStream(bytes)), bytes);
        }
    }

    /**
     * A response whose body is held in memory.
     *
     * @param response the response, with a fresh stream over the bytes
     * @param bytes the body
     */
    public record Buffered(UpstreamResponse response, byte[] bytes) {
    }
}
