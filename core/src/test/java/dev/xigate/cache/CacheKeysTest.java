package dev.xigate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "{\"text\":\"hello\",\"model_id\":\"eleven_flash_v2_5\",\"seed\":7,"
            + "\"language_code\":\"en\",\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.75}}";
    private static final Map<String, List<String>> QUERY = Map.of("output_format", List.of("mp3_44100_128"));

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static CacheKey key(String body, Map<String, List<String>> query) throws Exception {
        return CacheKeys.of("text-to-speech", "voice1", json(body), query);
    }

    @Test
    void sameRequestWithReorderedFieldsGivesSameKey() throws Exception {
        String reordered = "{\"voice_settings\":{\"similarity_boost\":0.750,\"stability\":0.50},\"seed\":7,"
                + "\"language_code\":\"en\",\"model_id\":\"eleven_flash_v2_5\",\"text\":\"hello\"}";

        assertThat(key(reordered, QUERY)).isEqualTo(key(BASE, QUERY));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"text\":\"hello!\",\"model_id\":\"eleven_flash_v2_5\",\"seed\":7,\"language_code\":\"en\","
            + "\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.75}}",
        "{\"text\":\"hello\",\"model_id\":\"eleven_multilingual_v2\",\"seed\":7,\"language_code\":\"en\","
            + "\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.75}}",
        "{\"text\":\"hello\",\"model_id\":\"eleven_flash_v2_5\",\"seed\":8,\"language_code\":\"en\","
            + "\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.75}}",
        "{\"text\":\"hello\",\"model_id\":\"eleven_flash_v2_5\",\"seed\":7,\"language_code\":\"de\","
            + "\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.75}}",
        "{\"text\":\"hello\",\"model_id\":\"eleven_flash_v2_5\",\"seed\":7,\"language_code\":\"en\","
            + "\"voice_settings\":{\"stability\":0.6,\"similarity_boost\":0.75}}",
        "{\"text\":\"hello\",\"model_id\":\"eleven_flash_v2_5\",\"seed\":7,\"language_code\":\"en\","
            + "\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.75},\"previous_text\":\"a\"}"})
    void anyBodyFieldChangesKey(String body) throws Exception {
        assertThat(key(body, QUERY)).isNotEqualTo(key(BASE, QUERY));
    }

    @Test
    void voiceEndpointAndQueryChangeKey() throws Exception {
        CacheKey base = key(BASE, QUERY);

        assertThat(CacheKeys.of("text-to-speech", "voice2", json(BASE), QUERY)).isNotEqualTo(base);
        assertThat(CacheKeys.of("text-to-speech/stream", "voice1", json(BASE), QUERY)).isNotEqualTo(base);
        assertThat(key(BASE, Map.of("output_format", List.of("pcm_16000")))).isNotEqualTo(base);
        assertThat(key(BASE, Map.of("output_format", List.of("mp3_44100_128"),
                "optimize_streaming_latency", List.of("2")))).isNotEqualTo(base);
    }

    @Test
    void loggingFlagAndCredentialsDoNotChangeKey() throws Exception {
        Map<String, List<String>> query = Map.of("output_format", List.of("mp3_44100_128"),
                "enable_logging", List.of("false"), "token", List.of("secret"));

        assertThat(key(BASE, query)).isEqualTo(key(BASE, QUERY));
    }

    @Test
    void keyIsLowerCaseSha256() throws Exception {
        assertThat(key(BASE, QUERY).sha256()).matches("[0-9a-f]{64}");
    }

    @Test
    void canonicalTextSortsKeysAtEveryDepth() throws Exception {
        assertThat(CacheKeys.canonicalText(json("{\"b\":{\"d\":1.50,\"c\":[2,1]},\"a\":100}")))
                .isEqualTo("{\"a\":100,\"b\":{\"c\":[2,1],\"d\":1.5}}");
    }
}
