package dev.xigate.coalesce;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** An upstream body the test feeds chunk by chunk, then ends or breaks; records whether it was closed. */
final class FeedStream extends InputStream {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IOException failure;
    private byte[] current = new byte[0];
    private int offset;
    private boolean ended;

    void feed(byte[] chunk) {
        queue.add(chunk);
    }

    void end() {
        queue.add(END);
    }

    void breakWith(IOException cause) {
        failure = cause;
        queue.add(END);
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int from, int length) throws IOException {
        while (offset == current.length) {
            if (ended || closed.get()) {
                if (closed.get()) {
                    throw new IOException("stream closed");
                }
                return -1;
            }
            try {
                current = queue.take();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", interrupted);
            }
            offset = 0;
            if (current == END) {
                if (failure != null) {
                    throw failure;
                }
                ended = true;
            }
        }
        int n = Math.min(length, current.length - offset);
        System.arraycopy(current, offset, target, from, n);
        offset += n;
        return n;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.add(END);
        }
    }
}
