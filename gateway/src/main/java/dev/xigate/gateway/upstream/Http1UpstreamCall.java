package dev.xigate.gateway.upstream;

import dev.xigate.http.Http1Client;
import dev.xigate.http.Http1Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Returns the real upstream's answer over xigate's own HTTP/1.1 client ({@link Http1Client}): the last stage of
 * the pipeline, and the default one.
 *
 * <p>The exchange runs on the request's own thread, with pooled keep-alive connections and no hand-off to a
 * selector or executor thread, which is most of what a second HTTP hop costs. Adds the ElevenLabs key (the only
 * place it is used), forwards the client's headers minus hop-by-hop ones and the client's own key, and bounds the
 * wait for response headers by the response timeout or the attempt's {@link AttemptTimeout}, whichever is shorter.
 * The body is handed back as it arrives. Thread-safe; close it to close the idle connections.
 */
public final class Http1UpstreamCall implements UpstreamCall, AutoCloseable {
    private final Http1Client client;
    private final URI baseUri;
    private final String basePath;
    private final String apiKey;
    private final Duration responseTimeout;

    private Http1UpstreamCall(Http1Client client, URI baseUri, String apiKey, Duration responseTimeout) {
        this.client = client;
        this.baseUri = baseUri;
        String path = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.apiKey = apiKey;
        this.responseTimeout = responseTimeout;
    }

    /**
     * Creates the call to an upstream base URL.
     *
     * @param baseUrl the API root, for example {@code https://api.elevenlabs.io}
     * @param apiKey the ElevenLabs key sent as {@code xi-api-key}
     * @param connectTimeout the TCP and TLS connect timeout
     * @param responseTimeout the longest wait for response headers
     */
    public static Http1UpstreamCall create(String baseUrl, String apiKey, Duration connectTimeout,
            Duration responseTimeout) {
        Objects.requireNonNull(apiKey, "apiKey");
        URI base = URI.create(baseUrl);
        Http1Client client = Http1Client.builder(base).connectTimeout(connectTimeout).build();
        return new Http1UpstreamCall(client, base, apiKey, responseTimeout);
    }

    /** Returns the upstream base URI. */
    public URI baseUri() {
        return baseUri;
    }

    /** Returns the client, for its connection counters. */
    public Http1Client client() {
        return client;
    }

    @Override
    public boolean honoursAttemptTimeout() {
        return true;
    }

    @Override
    public UpstreamResponse send(UpstreamRequest request) throws IOException, InterruptedException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HttpUpstreamCall.REQUEST_HEADERS_NOT_FORWARDED.contains(name)) {
                headers.put(header.getKey(), header.getValue());
            }
        }
        headers.put("xi-api-key", List.of(apiKey));
        Http1Response response = client.send(request.method(), basePath + request.pathAndQuery(), headers,
                request.body(), AttemptTimeout.within(responseTimeout));
        return new PooledResponse(response);
    }

    @Override
    public void close() {
        client.close();
    }

    /** The upstream answer; closing it gives its connection back or closes it. */
    private record PooledResponse(Http1Response response) implements UpstreamResponse {
        @Override
        public int status() {
            return response.status();
        }

        @Override
        public Map<String, List<String>> headers() {
            return Collections.unmodifiableMap(response.headers());
        }

        @Override
        public InputStream body() {
            return response.body();
        }

        @Override
        public void close() {
            response.close();
        }
    }
}
