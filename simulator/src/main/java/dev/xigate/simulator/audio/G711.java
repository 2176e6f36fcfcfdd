package dev.xigate.simulator.audio;

/** Returns G.711 mu-law and A-law codes of 16-bit linear samples (ITU-T G.711 segment encoding). */
final class G711 {
    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32_635;

    private G711() {
    }

    static byte linearToUlaw(short sample) {
        int value = sample;
        int sign = (value >> 8) & 0x80;
        if (sign != 0) {
            value = -value;
        }
        value = Math.min(value, ULAW_CLIP) + ULAW_BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    static byte linearToAlaw(short sample) {
        int value = sample;
        int sign = value >= 0 ? 0x80 : 0;
        if (value < 0) {
            value = Math.min(-value, 32_767);
        }
        int code;
        if (value < 256) {
            code = value >> 4;
        } else {
            int exponent = 1;
            for (int shifted = value >> 8; shifted > 1; shifted >>= 1) {
                exponent++;
            }
            code = (exponent << 4) | ((value >> (exponent + 3)) & 0x0F);
        }
        return (byte) ((sign | code) ^ 0x55);
    }
}
