package dev.xigate.coalesce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BroadcastBufferTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void everyReaderGetsWholeStream() throws Exception {
        BroadcastBuffer buffer = new BroadcastBuffer(1000);
        InputStream early = buffer.subscribe();
        buffer.write(bytes("hello "));
        InputStream late = buffer.subscribe();
        buffer.write(bytes("world"));
        buffer.complete();

        assertThat(readAll(early)).isEqualTo("hello world");
        assertThat(readAll(late)).isEqualTo("hello world");
        assertThat(readAll(buffer.subscribe())).isEqualTo("hello world");
        assertThat(buffer.completeContent()).isEqualTo(bytes("hello world"));
    }

    @Test
    void readerWaitsForBytesStillToCome() throws Exception {
        BroadcastBuffer buffer = new BroadcastBuffer(1000);
        InputStream reader = buffer.subscribe();
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return readAll(reader);
            } catch (IOException failure) {
                throw new IllegalStateException(failure);
            }
        });

        buffer.write(bytes("a"));
        buffer.write(bytes("b"));
        buffer.complete();

        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("ab");
    }

    @Test
    void failureReachesReadersAfterBytesWritten() throws Exception {
        BroadcastBuffer buffer = new BroadcastBuffer(1000);
        InputStream reader = buffer.subscribe();
        buffer.write(bytes("abc"));
        buffer.fail(new IOException("connection reset"));

        byte[] first = new byte[3];
        assertThat(reader.read(first)).isEqualTo(3);
        assertThatThrownBy(reader::read).isInstanceOf(IOException.class)
                .hasMessage("upstream stream failed: connection reset");
        assertThat(buffer.subscribe()).isNull();
        assertThat(buffer.completeContent()).isNull();
    }

    @Test
    void closesToJoinersPastBoundAndDropsReadChunks() throws Exception {
        BroadcastBuffer buffer = new BroadcastBuffer(10);
        InputStream reader = buffer.subscribe();
        buffer.write(bytes("0123456789"));
        InputStream beforeBound = buffer.subscribe();
        assertThat(beforeBound).isNotNull();
        beforeBound.close();

        assertThat(reader.readNBytes(10)).isEqualTo(bytes("0123456789"));
        buffer.write(bytes("abcde"));

        assertThat(buffer.subscribe()).isNull();
        assertThat(buffer.retainedBytes()).isEqualTo(5);
        buffer.complete();
        assertThat(readAll(reader)).isEqualTo("abcde");
        assertThat(buffer.retainedBytes()).isZero();
        assertThat(buffer.completeContent()).isNull();
    }

    @Test
    void slowReaderIsCutOffWithoutStallingOthers() throws Exception {
        BroadcastBuffer buffer = new BroadcastBuffer(10);
        InputStream slow = buffer.subscribe();
        InputStream fast = buffer.subscribe();

        for (int i = 0; i < 5; i++) {
            buffer.write(bytes("abcd"));
            assertThat(fast.readNBytes(4)).isEqualTo(bytes("abcd"));
        }
        buffer.complete();

        assertThat(readAll(fast)).isEmpty();
        assertThat(buffer.retainedBytes()).isLessThanOrEqualTo(10);
        assertThatThrownBy(slow::read).isInstanceOf(BroadcastBuffer.SlowReaderException.class)
                .hasMessage("reader fell more than 10 bytes behind the stream and was cut off");
        assertThat(buffer.readerCount()).isEqualTo(1);
    }

    @Test
    void closedReaderLeavesAndCannotRead() throws Exception {
        BroadcastBuffer buffer = new BroadcastBuffer(100);
        InputStream reader = buffer.subscribe();

        reader.close();

        assertThat(buffer.readerCount()).isZero();
        assertThatThrownBy(reader::read).hasMessage("broadcast reader closed");
    }

    @Test
    void rejectsWritesAfterEnd() {
        BroadcastBuffer buffer = new BroadcastBuffer(100);
        buffer.complete();

        assertThatThrownBy(() -> buffer.write(bytes("x")))
                .hasMessage("cannot write to broadcast buffer: already ended");
    }
}
