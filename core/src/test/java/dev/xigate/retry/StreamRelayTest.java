package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamRelayTest {
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private final StreamRelay relay = new StreamRelay(Duration.ofMillis(200), watchdog, System::nanoTime);

    @AfterEach
    void stopWatchdog() {
        watchdog.shutdownNow();
    }

    /** Delivers some bytes, then fails the next read. */
    private static InputStream cutAfter(byte[] first, IOException failure) {
        return new SequenceInputStream(new ByteArrayInputStream(first), new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }
        });
    }

    /** Delivers some bytes, then blocks until closed. */
    private static final class Stalling extends InputStream {
        private final ByteArrayInputStream head;
        private final CountDownLatch closed = new CountDownLatch(1);

        Stalling(byte[] first) {
            head = new ByteArrayInputStream(first);
        }

        @Override
        public int read() throws IOException {
            int b = head.read();
            if (b >= 0) {
                return b;
            }
            try {
                closed.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("closed while reading");
        }

        @Override
        public int read(byte[] target, int from, int length) throws IOException {
            int available = head.available();
            if (available > 0) {
                return head.read(target, from, Math.min(length, available));
            }
            return read() < 0 ? -1 : 1;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void relaysWholeBodyAndClosesBothEnds() {
        byte[] body = new byte[100_000];
        ByteArrayOutputStream client = new ByteArrayOutputStream();

        RelayResult result = relay.relay("r1", new ByteArrayInputStream(body), client);

        assertThat(result).isEqualTo(new RelayResult.Completed(100_000));
        assertThat(client.toByteArray()).isEqualTo(body);
        assertThat(relay.upstreamFailures()).isZero();
    }

    @Test
    void upstreamCutMidwayEndsRelayAndIsCounted() {
        ByteArrayOutputStream client = new ByteArrayOutputStream();

        RelayResult result = relay.relay("r2", cutAfter(new byte[] {1, 2, 3}, new IOException("connection reset")),
                client);

        assertThat(result).isInstanceOf(RelayResult.UpstreamFailed.class);
        assertThat(result.bytes()).isEqualTo(3);
        assertThat(((RelayResult.UpstreamFailed) result).stalled()).isFalse();
        assertThat(client.toByteArray()).containsExactly(1, 2, 3);
        assertThat(relay.upstreamFailures()).isEqualTo(1);
    }

    @Test
    void stalledUpstreamIsClosedByWatchdog() {
        Stalling upstream = new Stalling(new byte[] {7});

        RelayResult result = relay.relay("r3", upstream, new ByteArrayOutputStream());

        assertThat(result).isInstanceOf(RelayResult.UpstreamFailed.class);
        assertThat(((RelayResult.UpstreamFailed) result).stalled()).isTrue();
        assertThat(result.bytes()).isEqualTo(1);
        assertThat(relay.upstreamFailures()).isEqualTo(1);
    }

    @Test
    void clientGoingAwayIsReportedAndUpstreamClosed() {
        Stalling upstream = new Stalling(new byte[] {1, 2});
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        };

        RelayResult result = relay.relay("r4", upstream, broken);

        assertThat(result).isInstanceOf(RelayResult.ClientGone.class);
        assertThat(upstream.closed.getCount()).isZero();
        assertThat(relay.clientsGone()).isEqualTo(1);
    }
}
