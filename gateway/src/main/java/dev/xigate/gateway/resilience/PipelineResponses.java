package dev.xigate.gateway.resilience;

import dev.xigate.cache.CacheDirective;
import dev.xigate.cache.CachedAudio;
import dev.xigate.gateway.upstream.UpstreamResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Returns gateway pipeline responses built from the core's results. Stateless. */
final class PipelineResponses {
    private PipelineResponses() {
    }

    /** Returns a response serving cached audio, marked with how it was served ({@code hit} or {@code fallback}). */
    static UpstreamResponse cached(CachedAudio audio, String servedAs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of(audio.contentType()));
        headers.put(CacheDirective.HEADER, List.of(servedAs));
        return UpstreamResponse.buffered(200, headers, audio.body());
    }

    /** Returns a response with this status, headers and body stream; closing it closes the stream. */
    static UpstreamResponse streaming(int status, Map<String, List<String>> headers, InputStream body) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        Map<String, List<String>> fixed = Map.copyOf(lower);
        return new UpstreamResponse() {
            private boolean closed;

            @Override
            public int status() {
                return status;
            }

            @Override
            public Map<String, List<String>> headers() {
                return fixed;
            }

            @Override
            public InputStream body() {
                return body;
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    closeQuietly(body);
                }
            }
        };
    }

    /** Returns the body of a pipeline response as a stream whose close also closes the response (its permit). */
    static InputStream bodyClosing(UpstreamResponse response) {
        return new FilterInputStream(response.body()) {
            @Override
            public void close() {
                response.close();
            }
        };
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing only frees the connection and the permit behind it; the answer is already decided.
        }
    }
}
