package dev.xigate.simulator.audio;

/**
 * Returns the playing time of an uploaded audio file, as well as it can be told cheaply: WAV from its header, MP3 by
 * walking its frame headers, raw 16 kHz PCM from its size, anything else assumed to be 128 kbit/s.
 */
public final class AudioProbe {
    private static final int[] MPEG1_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] MPEG2_KBPS = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    private static final int[][] RATES = {{11_025, 12_000, 8_000}, {0, 0, 0}, {22_050, 24_000, 16_000},
        {44_100, 48_000, 32_000}};

    private AudioProbe() {
    }

    /** Returns the duration in seconds; {@code rawPcm16k} says the bytes are 16-bit 16 kHz mono PCM. */
    public static double seconds(byte[] data, boolean rawPcm16k) {
        if (rawPcm16k) {
            return data.length / 32_000.0;
        }
        if (data.length >= 44 && startsWith(data, 0, "RIFF") && startsWith(data, 8, "WAVE")) {
            double wav = wavSeconds(data);
            if (wav >= 0) {
                return wav;
            }
        }
        double mp3 = mp3Seconds(data);
        return mp3 > 0 ? mp3 : data.length / 16_000.0;
    }

    private static double wavSeconds(byte[] data) {
        int byteRate = 0;
        int offset = 12;
        while (offset + 8 <= data.length) {
            int size = intLe(data, offset + 4);
            if (startsWith(data, offset, "fmt ") && offset + 16 <= data.length) {
                byteRate = intLe(data, offset + 16);
            } else if (startsWith(data, offset, "data") && byteRate > 0) {
                long bytes = Math.min(size & 0xFFFFFFFFL, data.length - offset - 8L);
                return (double) bytes / byteRate;
            }
            if (size < 0) {
                return -1;
            }
            offset += 8 + size + (size & 1);
        }
        return -1;
    }

    private static double mp3Seconds(byte[] data) {
        int offset = 0;
        if (startsWith(data, 0, "ID3") && data.length > 10) {
            offset = 10 + ((data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | data[9] & 0x7F);
        }
        double seconds = 0;
        int frames = 0;
        while (offset + 4 <= data.length) {
            int length = frameLength(data, offset);
            if (length <= 0) {
                break;
            }
            int version = (data[offset + 1] >> 3) & 0x03;
            int rate = RATES[version][(data[offset + 2] >> 2) & 0x03];
            seconds += (version == 3 ? 1152.0 : 576.0) / rate;
            frames++;
            offset += length;
        }
        return frames >= 2 ? seconds : -1;
    }

    /** Returns the length of the Layer III frame starting at offset, or -1 when no valid header starts there. */
    static int frameLength(byte[] data, int offset) {
        int b1 = data[offset + 1] & 0xFF;
        int b2 = data[offset + 2] & 0xFF;
        if ((data[offset] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0 || ((b1 >> 1) & 0x03) != 1) {
            return -1;
        }
        int version = (b1 >> 3) & 0x03;
        int bitrateIndex = b2 >> 4;
        int rateIndex = (b2 >> 2) & 0x03;
        if (version == 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return -1;
        }
        int kbps = version == 3 ? MPEG1_KBPS[bitrateIndex] : MPEG2_KBPS[bitrateIndex];
        int rate = RATES[version][rateIndex];
        int coefficient = version == 3 ? 144 : 72;
        return coefficient * kbps * 1000 / rate + ((b2 >> 1) & 0x01);
    }

    private static boolean startsWith(byte[] data, int offset, String ascii) {
        if (offset + ascii.length() > data.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (data[offset + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int intLe(byte[] data, int offset) {
        return (data[offset] & 0xFF) | (data[offset + 1] & 0xFF) << 8 | (data[offset + 2] & 0xFF) << 16
                | (data[offset + 3] & 0xFF) << 24;
    }
}
