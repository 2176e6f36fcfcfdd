package dev.xigate.simulator.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioEncoderTest {
    private static final int[] MPEG1_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] MPEG2_KBPS = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};

    @ParameterizedTest
    @ValueSource(strings = {"mp3_22050_32", "mp3_24000_48", "mp3_44100_32", "mp3_44100_64", "mp3_44100_96",
        "mp3_44100_128", "mp3_44100_192"})
    void mp3IsAnUnbrokenChainOfLayerThreeFrames(String name) {
        OutputFormat format = OutputFormat.forSpeech(name).orElseThrow();

        EncodedAudio audio = AudioEncoder.encode(format, 2_000);

        byte[] bytes = audio.bytes();
        int offset = 0;
        int frames = 0;
        long totalBits = 0;
        while (offset < bytes.length) {
            assertThat(bytes[offset] & 0xFF).as("sync at %d", offset).isEqualTo(0xFF);
            int b1 = bytes[offset + 1] & 0xFF;
            int b2 = bytes[offset + 2] & 0xFF;
            boolean mpeg1 = ((b1 >> 3) & 0x03) == 3;
            assertThat((b1 >> 1) & 0x03).as("layer III").isEqualTo(1);
            assertThat((b1 & 0xE0)).isEqualTo(0xE0);
            int kbps = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[b2 >> 4];
            int rate = sampleRate(mpeg1, (b2 >> 2) & 0x03);
            assertThat(kbps).isEqualTo(format.bitrateKbps());
            assertThat(rate).isEqualTo(format.sampleRate());
            assertThat((bytes[offset + 3] & 0xC0) >> 6).as("mono").isEqualTo(3);
            int length = (mpeg1 ? 144 : 72) * kbps * 1000 / rate + ((b2 >> 1) & 1);
            totalBits += length * 8L;
            offset += length;
            frames++;
        }
        assertThat(offset).isEqualTo(bytes.length);
        int samplesPerFrame = format.sampleRate() >= 32_000 ? 1152 : 576;
        double seconds = (double) frames * samplesPerFrame / format.sampleRate();
        assertThat(seconds).isBetween(2.0, 2.0 + (double) samplesPerFrame / format.sampleRate());
        assertThat(totalBits / seconds / 1000).isCloseTo(format.bitrateKbps(), offset(1.0));
        assertThat(audio.durationMillis()).isEqualTo(Math.round(seconds * 1000 - 0.5));
    }

    @Test
    void longerRequestsGiveLongerAudio() {
        OutputFormat format = OutputFormat.forSpeech("mp3_44100_128").orElseThrow();

        EncodedAudio shortAudio = AudioEncoder.encode(format, 1_000);
        EncodedAudio longAudio = AudioEncoder.encode(format, 10_000);

        assertThat(longAudio.durationMillis()).isGreaterThan(9 * shortAudio.durationMillis());
        assertThat(longAudio.length()).isGreaterThan(9 * shortAudio.length());
    }

    @Test
    void chunksConcatenateToTheBodyAndStartOnFrames() {
        EncodedAudio audio = AudioEncoder.encode(OutputFormat.forSpeech("mp3_44100_128").orElseThrow(), 5_000);

        List<byte[]> chunks = audio.chunks(7);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(joined::writeBytes);
        assertThat(joined.toByteArray()).isEqualTo(audio.bytes());
        assertThat(chunks).hasSize(7).allSatisfy(chunk -> assertThat(chunk[0] & 0xFF).isEqualTo(0xFF));
    }

    @Test
    void wavHasAConsistentRiffHeader() {
        EncodedAudio audio = AudioEncoder.encode(OutputFormat.forSpeech("wav_16000").orElseThrow(), 1_500);

        byte[] bytes = audio.bytes();
        assertThat(new String(bytes, 0, 4)).isEqualTo("RIFF");
        assertThat(new String(bytes, 8, 8)).isEqualTo("WAVEfmt ");
        assertThat(intLe(bytes, 4)).isEqualTo(bytes.length - 8);
        assertThat(intLe(bytes, 24)).isEqualTo(16_000);
        assertThat(intLe(bytes, 40)).isEqualTo(bytes.length - 44).isEqualTo(24_000 * 2);
        assertThat(AudioProbe.seconds(bytes, false)).isEqualTo(1.5);
    }

    @Test
    void pcmIsAnAudibleToneOfTheRightLength() {
        byte[] bytes = AudioEncoder.encode(OutputFormat.forSpeech("pcm_24000").orElseThrow(), 1_000).bytes();

        assertThat(bytes).hasSize(48_000);
        int peak = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            peak = Math.max(peak, Math.abs((short) ((bytes[i] & 0xFF) | bytes[i + 1] << 8)));
        }
        assertThat(peak).isBetween(2_000, 4_000);
    }

    @Test
    void g711IsOneBytePerSampleAtEightKilohertz() {
        assertThat(AudioEncoder.encode(OutputFormat.forSpeech("ulaw_8000").orElseThrow(), 1_000).length())
                .isEqualTo(8_000);
        assertThat(G711.linearToUlaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
    }

    @Test
    void oggOpusPagesCarryValidChecksums() {
        EncodedAudio audio = AudioEncoder.encode(OutputFormat.forSpeech("opus_48000_64").orElseThrow(), 2_500);

        byte[] bytes = audio.bytes();
        int offset = 0;
        int pages = 0;
        while (offset < bytes.length) {
            assertThat(new String(bytes, offset, 4)).isEqualTo("OggS");
            int segments = bytes[offset + 26] & 0xFF;
            int bodyLength = 0;
            for (int i = 0; i < segments; i++) {
                bodyLength += bytes[offset + 27 + i] & 0xFF;
            }
            int pageLength = 27 + segments + bodyLength;
            byte[] page = Arrays.copyOfRange(bytes, offset, offset + pageLength);
            int stored = intLe(page, 22);
            page[22] = 0;
            page[23] = 0;
            page[24] = 0;
            page[25] = 0;
            assertThat(oggCrc(page)).isEqualTo(stored);
            offset += pageLength;
            pages++;
        }
        assertThat(pages).isEqualTo(2 + 3);
        assertThat(new String(bytes, 28, 8)).isEqualTo("OpusHead");
    }

    @Test
    void mp3ProbeReadsTheDurationBack() {
        byte[] bytes = AudioEncoder.encode(OutputFormat.forSpeech("mp3_44100_64").orElseThrow(), 3_000).bytes();

        assertThat(AudioProbe.seconds(bytes, false)).isBetween(3.0, 3.03);
    }

    private static int sampleRate(boolean mpeg1, int index) {
        int[] rates = mpeg1 ? new int[] {44_100, 48_000, 32_000} : new int[] {22_050, 24_000, 16_000};
        return rates[index];
    }

    private static int intLe(byte[] data, int offset) {
        return (data[offset] & 0xFF) | (data[offset + 1] & 0xFF) << 8 | (data[offset + 2] & 0xFF) << 16
                | (data[offset + 3] & 0xFF) << 24;
    }

    private static int oggCrc(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }
}
