package dev.xigate.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamWatchdogTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final StreamWatchdog watchdog = new StreamWatchdog(Duration.ofMillis(150), scheduler, System::nanoTime);
    private final AtomicInteger reported = new AtomicInteger();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void passesCompleteBodyThrough() throws IOException {
        InputStream watched = watchdog.watch("r1", new ByteArrayInputStream(new byte[5000]), reported::incrementAndGet);

        assertThat(watched.readAllBytes()).hasSize(5000);
        assertThat(reported).hasValue(0);
        assertThat(watchdog.failures()).isZero();
    }

    @Test
    void countsCutBodyOnce() throws IOException {
        InputStream cut = new SequenceInputStream(new ByteArrayInputStream(new byte[] {1, 2}), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        InputStream watched = watchdog.watch("r2", cut, reported::incrementAndGet);

        assertThat(watched.readNBytes(2)).containsExactly(1, 2);
        assertThatThrownBy(watched::read).hasMessage("connection reset");
        assertThatThrownBy(watched::read).isInstanceOf(IOException.class);
        assertThat(reported).hasValue(1);
        assertThat(watchdog.failures()).isEqualTo(1);
    }

    @Test
    void closesSilentBodyUnderBlockedReader() {
        CountDownLatch closed = new CountDownLatch(1);
        InputStream silent = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    closed.await();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("closed");
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
        InputStream watched = watchdog.watch("r3", silent, reported::incrementAndGet);

        assertThatThrownBy(watched::read).hasMessage("upstream stream stalled");
        assertThat(watchdog.stalls()).isEqualTo(1);
        assertThat(reported).hasValue(1);
    }
}
