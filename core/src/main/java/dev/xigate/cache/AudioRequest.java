package dev.xigate.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Returns what the cache and the coalescer need from one text-to-speech request: its key and its query. Only the
 * four HTTP text-to-speech endpoints are audio requests; anything else (and a body that is not a JSON object) is
 * not, and passes the cache by.
 *
 * @param key the cache key over everything that changes the audio
 * @param endpoint the endpoint kind ({@code text-to-speech}, {@code text-to-speech/stream}, ...)
 * @param voiceId the voice id from the path
 * @param query the query parameters, decoded, values in order
 */
public record AudioRequest(CacheKey key, String endpoint, String voiceId, Map<String, List<String>> query) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TTS_PATH = Pattern.compile(
            "/v1/text-to-speech/([^/?]+)(/stream)?(/with-timestamps)?");

    /** Creates a request description. */
    public AudioRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(voiceId, "voiceId");
        query = Map.copyOf(query);
    }

    /**
     * Returns the audio request a POST describes, or empty when it is not a text-to-speech request with a JSON
     * object body.
     *
     * @param pathAndQuery the raw path with its raw query ({@code /v1/text-to-speech/abc/stream?output_format=x})
     * @param body the request body
     */
    public static Optional<AudioRequest> parse(String pathAndQuery, byte[] body) {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        Matcher matcher = TTS_PATH.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException ignored) {
            return Optional.empty();
        }
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        String voiceId = decode(matcher.group(1));
        String endpoint = "text-to-speech" + (matcher.group(2) == null ? "" : "/stream")
                + (matcher.group(3) == null ? "" : "/with-timestamps");
        Map<String, List<String>> query = parseQuery(question < 0 ? "" : pathAndQuery.substring(question + 1));
        return Optional.of(new AudioRequest(CacheKeys.of(endpoint, voiceId, json, query), endpoint, voiceId, query));
    }

    /** Returns whether the answer streams (the {@code /stream} endpoints). */
    public boolean isStream() {
        return endpoint.contains("/stream");
    }

    /** Returns the decoded parameters of a raw query string, values in order. */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            // A malformed escape cannot be decoded; the raw text still identifies the request.
            return text;
        }
    }
}
