package dev.xigate.simulator.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Returns a finished audio body and where it may be cut into independently valid pieces (frame or sample
 * boundaries), so that a stream can send it in chunks. Immutable.
 */
public final class EncodedAudio {
    private final byte[] bytes;
    private final int[] cutPoints;
    private final long durationMillis;
    private final String contentType;

    EncodedAudio(byte[] bytes, int[] cutPoints, long durationMillis, String contentType) {
        this.bytes = bytes;
        this.cutPoints = cutPoints;
        this.durationMillis = durationMillis;
        this.contentType = contentType;
    }

    /** Returns a copy of the whole body. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Returns the body length in bytes. */
    public int length() {
        return bytes.length;
    }

    /** Returns the playing time of the audio. */
    public long durationMillis() {
        return durationMillis;
    }

    /** Returns the content type to answer with. */
    public String contentType() {
        return contentType;
    }

    /**
     * Returns the body cut into at most {@code count} pieces of similar size at valid boundaries; their concatenation
     * is the whole body.
     */
    public List<byte[]> chunks(int count) {
        int wanted = Math.max(1, count);
        List<byte[]> pieces = new ArrayList<>(wanted);
        int start = 0;
        for (int i = 1; i < wanted && start < bytes.length; i++) {
            int target = (int) ((long) bytes.length * i / wanted);
            int cut = nextCutAtOrAfter(Math.max(target, start + 1));
            if (cut <= start || cut >= bytes.length) {
                continue;
            }
            pieces.add(Arrays.copyOfRange(bytes, start, cut));
            start = cut;
        }
        pieces.add(Arrays.copyOfRange(bytes, start, bytes.length));
        return pieces;
    }

    private int nextCutAtOrAfter(int offset) {
        int index = Arrays.binarySearch(cutPoints, offset);
        if (index >= 0) {
            return cutPoints[index];
        }
        int insertion = -index - 1;
        return insertion < cutPoints.length ? cutPoints[insertion] : bytes.length;
    }
}
