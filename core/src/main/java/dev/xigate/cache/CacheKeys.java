package dev.xigate.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Returns cache keys for text-to-speech requests.
 *
 * <p>The key covers everything that can change the audio: the endpoint, the voice, every body field (text, model,
 * voice settings, seed, language, pronunciation dictionaries, context, ...) and every query parameter (output
 * format, latency optimisation, ...). Fields that cannot change the audio are left out: {@code enable_logging}
 * and credentials ({@code xi-api-key}, {@code token}, {@code authorization}). The canonical form is JSON with
 * object keys sorted at every depth, numbers in their plain shortest decimal form (so {@code 0.50} and
 * {@code 0.5} give one key) and query values kept in order; its SHA-256 is the key. Stateless.
 */
public final class CacheKeys {
    /** Query parameters left out of the key because they cannot change the audio. */
    public static final Set<String> IGNORED_QUERY_PARAMETERS = Set.of("enable_logging", "xi-api-key", "token",
            "authorization");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CacheKeys() {
    }

    /**
     * Returns the key of a request.
     *
     * @param endpoint the endpoint kind, for example {@code text-to-speech/stream} (stream and non-stream answers
     *     are cached apart)
     * @param voiceId the voice id from the path
     * @param body the parsed JSON body ({@code null} for none)
     * @param query the query parameters, each with its values in order
     */
    public static CacheKey of(String endpoint, String voiceId, JsonNode body, Map<String, List<String>> query) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(voiceId, "voiceId");
        Objects.requireNonNull(query, "query");
        ObjectNode root = NODES.objectNode();
        root.put("endpoint", endpoint);
        root.put("voice_id", voiceId);
        root.set("body", body == null ? NODES.nullNode() : canonical(body));
        ObjectNode params = root.putObject("query");
        new TreeMap<>(query).forEach((name, values) -> {
            if (!IGNORED_QUERY_PARAMETERS.contains(name)) {
                ArrayNode array = params.putArray(name);
                values.forEach(array::add);
            }
        });
        return new CacheKey(sha256(canonicalText(root)));
    }

    /** Returns the canonical JSON text of a tree: keys sorted at every depth, numbers normalised. */
    public static String canonicalText(JsonNode node) {
        try {
            return JSON.writeValueAsString(canonical(node));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("cannot write canonical json: " + impossible.getMessage(), impossible);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = NODES.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(name -> sorted.set(name, canonical(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = NODES.arrayNode();
            node.forEach(element -> array.add(canonical(element)));
            return array;
        }
        if (node.isNumber()) {
            return NODES.numberNode(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("cannot hash cache key: sha-256 missing", impossible);
        }
    }
}
