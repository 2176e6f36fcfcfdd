package dev.xigate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioDurationsTest {
    @ParameterizedTest
    @CsvSource({
        "mp3_44100_128, 160000, 10.0",
        "mp3_22050_32, 4000, 1.0",
        ", 16000, 1.0",
        "pcm_16000, 64000, 2.0",
        "pcm_44100, 88200, 1.0",
        "ulaw_8000, 8000, 1.0",
        "opus_48000_64, 8000, 1.0",
        "wav_44100, 1000, 0.0",
        "mp3_x_y, 1000, 0.0",
        "mp3_44100_0, 1000, 0.0",
        "mp3_44100_128, 0, 0.0"
    })
    void estimatesSecondsFromFormatAndSize(String format, long bytes, double seconds) {
        assertThat(AudioDurations.seconds(format, bytes)).isEqualTo(seconds);
    }
}
