package dev.xigate.simulator.audio;

import java.util.Arrays;

/**
 * Creates a stream of silent MPEG audio Layer III frames (mono). MPEG-1 is used for 32, 44.1 and 48 kHz, MPEG-2
 * (LSF) for 16, 22.05 and 24 kHz. A frame is a 4-byte header, an all-zero side-information block (no Huffman data,
 * so every granule decodes to silence) and zero padding up to the frame length {@code 144 * bitrate / rate} (MPEG-1)
 * or {@code 72 * bitrate / rate} (MPEG-2); the padding bit spreads the fractional byte so that the average bitrate
 * is exact, as encoders do.
 */
final class Mp3Frames {
    private static final int[] MPEG1_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] MPEG2_KBPS = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    private static final int[] MPEG1_RATES = {44_100, 48_000, 32_000};
    private static final int[] MPEG2_RATES = {22_050, 24_000, 16_000};

    private Mp3Frames() {
    }

    static EncodedAudio encode(int sampleRate, int kbps, long millis) {
        boolean mpeg1 = indexOf(MPEG1_RATES, sampleRate) >= 0;
        int rateIndex = mpeg1 ? indexOf(MPEG1_RATES, sampleRate) : indexOf(MPEG2_RATES, sampleRate);
        int bitrateIndex = indexOf(mpeg1 ? MPEG1_KBPS : MPEG2_KBPS, kbps);
        if (rateIndex < 0 || bitrateIndex <= 0) {
            throw new IllegalArgumentException("mp3 format: " + sampleRate + " Hz " + kbps
                    + " kbit/s (expected: a legal MPEG Layer III rate and bitrate)");
        }
        int samplesPerFrame = mpeg1 ? 1152 : 576;
        int coefficient = mpeg1 ? 144 : 72;
        long frames = Math.max(1, (millis * sampleRate + 1000L * samplesPerFrame - 1) / (1000L * samplesPerFrame));
        long numerator = (long) coefficient * kbps * 1000;
        int baseLength = (int) (numerator / sampleRate);
        long remainderStep = numerator % sampleRate;
        long total = frames * baseLength + (frames * remainderStep) / sampleRate + 1;
        byte[] out = new byte[(int) total];
        int[] cuts = new int[(int) frames];
        int offset = 0;
        long remainder = 0;
        for (int i = 0; i < frames; i++) {
            remainder += remainderStep;
            int padding = 0;
            if (remainder >= sampleRate) {
                remainder -= sampleRate;
                padding = 1;
            }
            cuts[i] = offset;
            out[offset] = (byte) 0xFF;
            out[offset + 1] = (byte) (mpeg1 ? 0xFB : 0xF3);
            out[offset + 2] = (byte) ((bitrateIndex << 4) | (rateIndex << 2) | (padding << 1));
            // Mono (channel mode 11), original bit set; the side information and main data stay zero.
            out[offset + 3] = (byte) 0xC4;
            offset += baseLength + padding;
        }
        byte[] exact = offset == out.length ? out : Arrays.copyOf(out, offset);
        return new EncodedAudio(exact, cuts, AudioEncoder.millisOf(frames * samplesPerFrame, sampleRate),
                Codec.MP3.contentType());
    }

    private static int indexOf(int[] values, int wanted) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
