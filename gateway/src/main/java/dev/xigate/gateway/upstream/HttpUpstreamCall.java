package dev.xigate.gateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Returns the real upstream's answer, over the JDK {@link HttpClient}: the last stage of the pipeline.
 *
 * <p>Adds the ElevenLabs key (the only place it is used), forwards the client's headers minus the ones the JDK
 * client sets itself, and hands the body back as an {@link InputStream} as soon as the headers are in, so audio
 * streams through without buffering. Thread-safe.
 */
public final class HttpUpstreamCall implements UpstreamCall {
    /** Header names never forwarded upstream: hop-by-hop, set by the HTTP client, or the client's own key. */
    static final Set<String> REQUEST_HEADERS_NOT_FORWARDED = Set.of("host", "connection", "content-length",
            "transfer-encoding", "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-authorization",
            "proxy-connection", "xi-api-key", "authorization", "http2-settings");

    private final HttpClient client;
    private final URI baseUri;
    private final String apiKey;
    private final Duration responseTimeout;

    private HttpUpstreamCall(HttpClient client, URI baseUri, String apiKey, Duration responseTimeout) {
        this.client = client;
        this.baseUri = baseUri;
        this.apiKey = apiKey;
        this.responseTimeout = responseTimeout;
    }

    /**
     * Creates the call to an upstream base URL.
     *
     * @param baseUrl the API root, for example {@code https://api.elevenlabs.io}
     * @param apiKey the ElevenLabs key sent as {@code xi-api-key}
     * @param connectTimeout the connect timeout
     * @param responseTimeout how long to wait for the response headers
     */
    public static HttpUpstreamCall create(String baseUrl, String apiKey, Duration connectTimeout,
            Duration responseTimeout) {
        Objects.requireNonNull(apiKey, "apiKey");
        URI base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        HttpClient client = HttpClient.newBuilder()
                // Plain-HTTP upstreams (the simulator) get HTTP/1.1 directly, without an h2c upgrade round.
                .version("https".equals(base.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        return new HttpUpstreamCall(client, base, apiKey, responseTimeout);
    }

    /** Returns the upstream base URI. */
    public URI baseUri() {
        return baseUri;
    }

    @Override
    public UpstreamResponse send(UpstreamRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + request.pathAndQuery()))
                .timeout(responseTimeout)
                .method(request.method(), request.body().length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!REQUEST_HEADERS_NOT_FORWARDED.contains(name)) {
                for (String value : header.getValue()) {
                    builder.header(header.getKey(), value);
                }
            }
        }
        builder.header("xi-api-key", apiKey);
        HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                headers.put(name.toLowerCase(Locale.ROOT), values);
            }
        });
        return new StreamedResponse(response.statusCode(), Map.copyOf(headers), response.body());
    }

    /** A live upstream response whose body is read as it arrives. */
    private record StreamedResponse(int status, Map<String, List<String>> headers, InputStream body)
            implements UpstreamResponse {
        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // the connection is going away anyway; nothing more to release
            }
        }
    }
}
