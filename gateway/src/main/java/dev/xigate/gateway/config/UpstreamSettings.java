package dev.xigate.gateway.config;

import java.time.Duration;

/**
 * How the gateway reaches the ElevenLabs API.
 *
 * <p>The API key is never part of the file: it comes from the environment variable {@code apiKeyEnv}
 * ({@code ELEVENLABS_API_KEY} by default) or from the secret file {@code apiKeyFile}, which wins when both are set.
 *
 * @param url the API's base URL ({@code https://api.elevenlabs.io} by default)
 * @param apiKeyFile a file holding the ElevenLabs key (trailing whitespace is ignored), or {@code null}
 * @param apiKeyEnv the environment variable holding the key when no file is given
 * @param connectTimeout the TCP/TLS connect timeout (5 s by default)
 * @param responseTimeout how long to wait for the response headers (240 s by default, as the official SDKs)
 * @param maxRequeues how often one request is queued again after an upstream concurrency 429 before the 429 is
 *     passed on to the client (10 by default)
 * @param httpClient the client that makes the upstream calls: {@code http1} (xigate's own HTTP/1.1 client with
 *     pooled keep-alive connections, the default and the fastest) or {@code jdk} (the JDK's HttpClient, HTTP/2
 *     over TLS; kept as a fallback)
 */
public record UpstreamSettings(String url, String apiKeyFile, String apiKeyEnv, Duration connectTimeout,
        Duration responseTimeout, Integer maxRequeues, String httpClient) {

    /** The production ElevenLabs API. */
    public static final String DEFAULT_URL = "https://api.elevenlabs.io";
    /** The environment variable read for the key by default (the one the official SDKs read too). */
    public static final String DEFAULT_API_KEY_ENV = "ELEVENLABS_API_KEY";
    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The default time to wait for response headers. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(240);
    /** The default number of transparent re-queues after an upstream concurrency 429. */
    public static final int DEFAULT_MAX_REQUEUES = 10;
    /** The upstream client name for xigate's own HTTP/1.1 client (the default). */
    public static final String HTTP1_CLIENT = "http1";
    /** The upstream client name for the JDK's HttpClient. */
    public static final String JDK_CLIENT = "jdk";

    /** Creates the settings, filling defaults for missing values. */
    public UpstreamSettings {
        url = url == null ? DEFAULT_URL : url;
        apiKeyEnv = apiKeyEnv == null ? DEFAULT_API_KEY_ENV : apiKeyEnv;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        responseTimeout = responseTimeout == null ? DEFAULT_RESPONSE_TIMEOUT : responseTimeout;
        maxRequeues = maxRequeues == null ? DEFAULT_MAX_REQUEUES : maxRequeues;
        httpClient = httpClient == null ? HTTP1_CLIENT : httpClient;
    }

    /** Returns the default settings. */
    public static UpstreamSettings ofDefaults() {
        return new UpstreamSettings(null, null, null, null, null, null, null);
    }

    /** Returns a copy pointing at another base URL. */
    public UpstreamSettings withUrl(String newUrl) {
        return new UpstreamSettings(newUrl, apiKeyFile, apiKeyEnv, connectTimeout, responseTimeout, maxRequeues,
                httpClient);
    }

    /** Returns a copy reading the key from another file. */
    public UpstreamSettings withApiKeyFile(String newApiKeyFile) {
        return new UpstreamSettings(url, newApiKeyFile, apiKeyEnv, connectTimeout, responseTimeout, maxRequeues,
                httpClient);
    }

    /** Returns a copy using another upstream client ({@code http1} or {@code jdk}). */
    public UpstreamSettings withHttpClient(String newHttpClient) {
        return new UpstreamSettings(url, apiKeyFile, apiKeyEnv, connectTimeout, responseTimeout, maxRequeues,
                newHttpClient);
    }
}
