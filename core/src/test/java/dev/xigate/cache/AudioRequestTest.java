package dev.xigate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioRequestTest {
    private static final byte[] BODY = "{\"text\":\"hi\",\"model_id\":\"eleven_flash_v2_5\"}"
            .getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @CsvSource({
        "/v1/text-to-speech/v1, text-to-speech, false",
        "/v1/text-to-speech/v1/stream, text-to-speech/stream, true",
        "/v1/text-to-speech/v1/with-timestamps, text-to-speech/with-timestamps, false",
        "/v1/text-to-speech/v1/stream/with-timestamps?output_format=pcm_16000, "
            + "text-to-speech/stream/with-timestamps, true"})
    void recognisesTextToSpeechEndpoints(String path, String endpoint, boolean stream) {
        AudioRequest request = AudioRequest.parse(path, BODY).orElseThrow();

        assertThat(request.endpoint()).isEqualTo(endpoint);
        assertThat(request.voiceId()).isEqualTo("v1");
        assertThat(request.isStream()).isEqualTo(stream);
    }

    @Test
    void ignoresOtherPathsAndNonObjectBodies() {
        assertThat(AudioRequest.parse("/v1/speech-to-text", BODY)).isEmpty();
        assertThat(AudioRequest.parse("/v1/text-to-speech/v1/stream-input", BODY)).isEmpty();
        assertThat(AudioRequest.parse("/v1/text-to-speech/v1", "[1]".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(AudioRequest.parse("/v1/text-to-speech/v1", "{".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void decodesQueryAndKeysOnIt() {
        AudioRequest plain = AudioRequest.parse("/v1/text-to-speech/v1?output_format=mp3_44100_128", BODY)
                .orElseThrow();
        AudioRequest zeroRetention = AudioRequest.parse(
                "/v1/text-to-speech/v1?output_format=mp3%5F44100%5F128&enable_logging=false", BODY).orElseThrow();
        AudioRequest other = AudioRequest.parse("/v1/text-to-speech/v1?output_format=pcm_16000", BODY).orElseThrow();

        assertThat(zeroRetention.query()).containsEntry("enable_logging", List.of("false"));
        assertThat(zeroRetention.key()).isEqualTo(plain.key());
        assertThat(other.key()).isNotEqualTo(plain.key());
    }
}
