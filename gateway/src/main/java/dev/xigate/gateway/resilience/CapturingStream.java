package dev.xigate.gateway.resilience;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Passes a body through while keeping a copy, and hands the copy over once the body ended normally and stayed
 * within the limit; a body that failed, was abandoned or grew too large is not handed over. Not thread-safe (one
 * reader).
 */
final class CapturingStream extends FilterInputStream {
    private final long limit;
    private final Consumer<byte[]> onComplete;
    private ByteArrayOutputStream copy = new ByteArrayOutputStream();

    CapturingStream(InputStream body, long limit, Consumer<byte[]> onComplete) {
        super(body);
        this.limit = limit;
        this.onComplete = onComplete;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int from, int length) throws IOException {
        int n = in.read(target, from, length);
        if (n < 0) {
            if (copy != null) {
                byte[] complete = copy.toByteArray();
                copy = null;
                onComplete.accept(complete);
            }
            return n;
        }
        if (copy != null) {
            if (copy.size() + (long) n > limit) {
                copy = null;
            } else {
                copy.write(target, from, n);
            }
        }
        return n;
    }
}
