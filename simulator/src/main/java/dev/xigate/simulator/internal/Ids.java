package dev.xigate.simulator.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Creates identifiers shaped like the live API's: 20-character request ids and 32-hex-digit trace ids. */
final class Ids {
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    static String requestId() {
        return random(ALPHANUMERIC, 20);
    }

    static String traceId() {
        return random(HEX, 32);
    }

    private static String random(char[] alphabet, int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
