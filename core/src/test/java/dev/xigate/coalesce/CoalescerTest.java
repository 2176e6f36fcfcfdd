package dev.xigate.coalesce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.xigate.cache.CacheKey;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescerTest {
    private static final CacheKey KEY = new CacheKey("a".repeat(64));
    private static final FlightHead OK = new FlightHead(200, Map.of("content-type", List.of("audio/mpeg")));

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Coalescer coalescer = new Coalescer(1 << 20, threads);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** A source whose open() waits for a latch, counts calls and serves one FeedStream. */
    private static class GatedSource implements FlightSource {
        final AtomicInteger opens = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);
        final FeedStream body = new FeedStream();
        final AtomicReference<byte[]> completed = new AtomicReference<>();
        final AtomicReference<Throwable> bodyFailure = new AtomicReference<>();

        @Override
        public Answer open() throws Exception {
            opens.incrementAndGet();
            gate.await();
            return new Answer(OK, body);
        }

        @Override
        public void onComplete(FlightHead head, byte[] content) {
            completed.set(content);
        }

        @Override
        public void onBodyFailed(FlightHead head, Throwable failure) {
            bodyFailure.set(failure);
        }
    }

    private static byte[] audio(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }

    /** Starts a leader on its own thread (a leader's join runs the upstream call) and waits until it is calling. */
    private CompletableFuture<Coalescer.Subscription> lead(GatedSource source) {
        int before = source.opens.get();
        CompletableFuture<Coalescer.Subscription> leader = CompletableFuture.supplyAsync(
                () -> coalescer.join(KEY, source), threads);
        await().until(() -> source.opens.get() > before);
        return leader;
    }

    private CompletableFuture<byte[]> readAsync(Coalescer.Subscription subscription) {
        return CompletableFuture.supplyAsync(() -> {
            try (subscription) {
                assertThat(subscription.head().get(10, TimeUnit.SECONDS)).isEqualTo(OK);
                return subscription.body().readAllBytes();
            } catch (Exception failure) {
                throw new IllegalStateException(failure);
            }
        }, threads);
    }

    @Test
    void twentyIdenticalRequestsShareOneUpstreamCall() throws Exception {
        GatedSource source = new GatedSource();
        byte[] body = audio(200_000);
        List<Coalescer.Subscription> subscriptions = new ArrayList<>();

        CompletableFuture<Coalescer.Subscription> leader = lead(source);
        for (int i = 0; i < 19; i++) {
            subscriptions.add(coalescer.join(KEY, source));
        }
        source.gate.countDown();
        subscriptions.add(leader.get(10, TimeUnit.SECONDS));
        List<CompletableFuture<byte[]>> reads = subscriptions.stream().map(this::readAsync).toList();
        for (int at = 0; at < body.length; at += 7000) {
            source.body.feed(Arrays.copyOfRange(body, at, Math.min(body.length, at + 7000)));
        }
        source.body.end();

        for (CompletableFuture<byte[]> read : reads) {
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(body);
        }
        assertThat(source.opens).hasValue(1);
        assertThat(subscriptions).filteredOn(Coalescer.Subscription::isLeader).hasSize(1);
        assertThat(coalescer.flightsStarted()).isEqualTo(1);
        assertThat(coalescer.joins()).isEqualTo(19);
        await().until(() -> source.completed.get() != null);
        assertThat(source.completed.get()).isEqualTo(body);
        assertThat(coalescer.inFlight()).isZero();
    }

    @Test
    void lateJoinerReplaysStreamFromFirstByte() throws Exception {
        GatedSource source = new GatedSource();
        source.gate.countDown();
        Coalescer.Subscription leader = coalescer.join(KEY, source);
        source.body.feed(new byte[] {1, 2, 3});
        assertThat(leader.body().readNBytes(3)).containsExactly(1, 2, 3);

        GatedSource unused = new GatedSource();
        unused.gate.countDown();
        Coalescer.Subscription late = coalescer.join(KEY, unused);
        source.body.feed(new byte[] {4, 5});
        source.body.end();

        assertThat(late.isLeader()).isFalse();
        assertThat(late.body().readAllBytes()).containsExactly(1, 2, 3, 4, 5);
        assertThat(leader.body().readAllBytes()).containsExactly(4, 5);
        leader.close();
        late.close();
    }

    @Test
    void requestAfterFlightEndedStartsNewCall() throws Exception {
        GatedSource first = new GatedSource();
        first.gate.countDown();
        first.body.end();
        try (Coalescer.Subscription subscription = coalescer.join(KEY, first)) {
            assertThat(subscription.body().readAllBytes()).isEmpty();
        }
        await().until(() -> coalescer.inFlight() == 0);

        GatedSource second = new GatedSource();
        second.gate.countDown();
        try (Coalescer.Subscription subscription = coalescer.join(KEY, second)) {
            assertThat(subscription.isLeader()).isTrue();
        }
        assertThat(coalescer.flightsStarted()).isEqualTo(2);
    }

    @Test
    void failedOpenFailsEveryWaiter() throws Exception {
        GatedSource broken = new GatedSource() {
            @Override
            public Answer open() throws Exception {
                super.open();
                throw new IOException("connection refused");
            }
        };
        CompletableFuture<Coalescer.Subscription> leader = lead(broken);
        Coalescer.Subscription b = coalescer.join(KEY, broken);
        broken.gate.countDown();
        Coalescer.Subscription a = leader.get(10, TimeUnit.SECONDS);
        assertThat(broken.opens).hasValue(1);

        for (Coalescer.Subscription subscription : List.of(a, b)) {
            assertThatThrownBy(() -> subscription.head().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasRootCauseMessage("connection refused");
            subscription.close();
        }
        await().until(() -> coalescer.inFlight() == 0);
    }

    @Test
    void streamCutMidwayEndsEveryClientAndIsReported() throws Exception {
        GatedSource source = new GatedSource();
        CompletableFuture<Coalescer.Subscription> leader = lead(source);
        Coalescer.Subscription b = coalescer.join(KEY, source);
        source.gate.countDown();
        Coalescer.Subscription a = leader.get(10, TimeUnit.SECONDS);
        source.body.feed(new byte[] {1, 2});
        source.body.breakWith(new IOException("connection reset"));

        for (Coalescer.Subscription subscription : List.of(a, b)) {
            assertThat(subscription.body().readNBytes(2)).containsExactly(1, 2);
            assertThatThrownBy(() -> subscription.body().read()).isInstanceOf(IOException.class);
            subscription.close();
        }
        await().until(() -> source.bodyFailure.get() != null);
        assertThat(source.completed.get()).isNull();
        assertThat(source.body.isClosed()).isTrue();
    }

    @Test
    void lastClientLeavingAbandonsUpstreamCall() throws Exception {
        GatedSource source = new GatedSource();
        CompletableFuture<Coalescer.Subscription> leader = lead(source);
        Coalescer.Subscription b = coalescer.join(KEY, source);
        source.gate.countDown();
        Coalescer.Subscription a = leader.get(10, TimeUnit.SECONDS);
        source.body.feed(new byte[] {1});
        a.head().get(10, TimeUnit.SECONDS);

        a.close();
        assertThat(source.body.isClosed()).isFalse();
        b.close();

        await().until(source.body::isClosed);
        await().until(() -> coalescer.inFlight() == 0);
        GatedSource next = new GatedSource();
        next.gate.countDown();
        try (Coalescer.Subscription fresh = coalescer.join(KEY, next)) {
            assertThat(fresh.isLeader()).isTrue();
        }
    }

    @Test
    void bodyLargerThanBoundReachesSteadyReaderAndLaterRequestsStartAnew() throws Exception {
        Coalescer small = new Coalescer(1000, threads);
        GatedSource source = new GatedSource();
        source.gate.countDown();
        byte[] chunk = audio(400);

        try (Coalescer.Subscription steady = small.join(KEY, source)) {
            for (int i = 0; i < 10; i++) {
                source.body.feed(chunk);
                assertThat(steady.body().readNBytes(400)).isEqualTo(chunk);
            }
            GatedSource second = new GatedSource();
            second.gate.countDown();
            try (Coalescer.Subscription late = small.join(KEY, second)) {
                assertThat(late.isLeader()).isTrue();
            }
            source.body.end();
            assertThat(steady.body().read()).isEqualTo(-1);
        }
        assertThat(source.completed.get()).isNull();
        assertThat(small.flightsStarted()).isEqualTo(2);
    }

    @Test
    void differentKeysDoNotShare() {
        GatedSource a = new GatedSource();
        GatedSource b = new GatedSource();
        a.gate.countDown();
        b.gate.countDown();

        try (Coalescer.Subscription first = coalescer.join(KEY, a);
                Coalescer.Subscription second = coalescer.join(new CacheKey("b".repeat(64)), b)) {
            assertThat(first.isLeader()).isTrue();
            assertThat(second.isLeader()).isTrue();
        }
    }

    @Test
    void leaderCallsUpstreamOnItsOwnThreadAndReadsASmallDeclaredBodyInline() throws Exception {
        byte[] body = audio(5_000);
        AtomicReference<Thread> openedOn = new AtomicReference<>();
        AtomicReference<byte[]> completed = new AtomicReference<>();
        FlightSource source = new FlightSource() {
            @Override
            public Answer open() {
                openedOn.set(Thread.currentThread());
                return new Answer(new FlightHead(200, Map.of("Content-Length", List.of("5000"))),
                        new ByteArrayInputStream(body));
            }

            @Override
            public void onComplete(FlightHead head, byte[] content) {
                completed.set(content);
            }
        };
        // A pump that refuses work: this flight must not need one.
        Coalescer inline = new Coalescer(1 << 20, task -> {
            throw new RejectedExecutionException("no pump for a small declared body");
        });

        try (Coalescer.Subscription leader = inline.join(KEY, source)) {
            assertThat(openedOn.get()).isSameAs(Thread.currentThread());
            assertThat(completed.get()).isEqualTo(body);
            assertThat(inline.inFlight()).isZero();
            assertThat(leader.head()).isCompleted();
            assertThat(leader.body().readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void streamedBodyIsCopiedByThePumpSoTheLeaderReturnsAtTheHead() throws Exception {
        GatedSource source = new GatedSource();
        source.gate.countDown();
        try (Coalescer.Subscription leader = coalescer.join(KEY, source)) {
            // No content length: join returned with the head while the body is still to come.
            assertThat(leader.head()).isCompleted();
            source.body.feed(new byte[] {7, 8});
            source.body.end();
            assertThat(leader.body().readAllBytes()).containsExactly(7, 8);
        }
    }
    /** An upstream body that records which thread made each read. */
    private static final class ThreadRecordingStream extends FilterInputStream {
        final List<Thread> readers = new CopyOnWriteArrayList<>();

        ThreadRecordingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] target, int from, int length) throws IOException {
            readers.add(Thread.currentThread());
            return super.read(target, from, length);
        }
    }

    /** A source answering at once with a stream (no content length) over the given body. */
    private static FlightSource streaming(InputStream body, AtomicReference<byte[]> completed,
            AtomicReference<Throwable> failed) {
        return new FlightSource() {
            @Override
            public Answer open() {
                return new Answer(OK, body);
            }

            @Override
            public void onComplete(FlightHead head, byte[] content) {
                completed.set(content);
            }

            @Override
            public void onBodyFailed(FlightHead head, Throwable failure) {
                failed.set(failure);
            }
        };
    }

    @Test
    void firstChunkOfAStreamIsReadOnTheFirstReadersThreadAndThePumpCopiesTheRest() throws Exception {
        FeedStream feed = new FeedStream();
        ThreadRecordingStream upstream = new ThreadRecordingStream(feed);
        AtomicReference<byte[]> completed = new AtomicReference<>();
        List<Thread> pumpThreads = new CopyOnWriteArrayList<>();
        Coalescer recorded = new Coalescer(1 << 20, task -> threads.execute(() -> {
            pumpThreads.add(Thread.currentThread());
            task.run();
        }));

        FlightSource source = streaming(upstream, completed, new AtomicReference<>());
        try (Coalescer.Subscription leader = recorded.join(KEY, source)) {
            assertThat(upstream.readers).as("nothing read before a client reads").isEmpty();
            assertThat(pumpThreads).as("no pump before the first chunk").isEmpty();
            feed.feed(new byte[] {1, 2, 3});
            byte[] first = new byte[16];
            int n = leader.body().read(first);

            assertThat(Arrays.copyOf(first, n)).containsExactly(1, 2, 3);
            assertThat(upstream.readers.get(0)).isSameAs(Thread.currentThread());
            feed.feed(new byte[] {4, 5});
            feed.end();
            assertThat(leader.body().readAllBytes()).containsExactly(4, 5);
            assertThat(pumpThreads).hasSize(1);
            assertThat(upstream.readers.subList(1, upstream.readers.size())).containsOnly(pumpThreads.get(0));
        }
        await().until(() -> completed.get() != null);
        assertThat(completed.get()).containsExactly(1, 2, 3, 4, 5);
        assertThat(recorded.inFlight()).isZero();
    }

    @Test
    void joinerWaitingWhileAnotherClientReadsTheFirstChunkGetsTheWholeStream() throws Exception {
        GatedSource source = new GatedSource();
        source.gate.countDown();
        Coalescer.Subscription leader = coalescer.join(KEY, source);
        Coalescer.Subscription joiner = coalescer.join(KEY, source);
        CompletableFuture<byte[]> leaderRead = readAsync(leader);
        CompletableFuture<byte[]> joinerRead = readAsync(joiner);

        source.body.feed(new byte[] {9});
        source.body.feed(new byte[] {8, 7});
        source.body.end();

        assertThat(leaderRead.get(10, TimeUnit.SECONDS)).containsExactly(9, 8, 7);
        assertThat(joinerRead.get(10, TimeUnit.SECONDS)).containsExactly(9, 8, 7);
        assertThat(source.opens).hasValue(1);
    }

    @Test
    void streamEndingBeforeItsFirstByteEndsOnTheFirstReadWithoutAPump() throws Exception {
        AtomicReference<byte[]> completed = new AtomicReference<>();
        Coalescer noPump = new Coalescer(1 << 20, task -> {
            throw new RejectedExecutionException("no pump for an empty stream");
        });

        try (Coalescer.Subscription leader = noPump.join(KEY,
                streaming(new ByteArrayInputStream(new byte[0]), completed, new AtomicReference<>()))) {
            assertThat(leader.body().read()).isEqualTo(-1);
        }
        assertThat(completed.get()).isEmpty();
        assertThat(noPump.inFlight()).isZero();
    }

    @Test
    void streamFailingBeforeItsFirstByteFailsEveryClientAndIsReported() throws Exception {
        GatedSource source = new GatedSource();
        source.gate.countDown();
        Coalescer.Subscription a = coalescer.join(KEY, source);
        Coalescer.Subscription b = coalescer.join(KEY, source);
        source.body.breakWith(new IOException("connection reset"));

        for (Coalescer.Subscription subscription : List.of(a, b)) {
            assertThatThrownBy(() -> subscription.body().read()).isInstanceOf(IOException.class)
                    .hasMessageContaining("connection reset");
            subscription.close();
        }
        assertThat(source.bodyFailure.get()).hasMessage("connection reset");
        assertThat(source.completed.get()).isNull();
        await().until(() -> coalescer.inFlight() == 0);
        assertThat(source.body.isClosed()).isTrue();
    }

    @Test
    void pumpRefusingTheRestFailsTheFlightInsteadOfHangingItsClients() throws Exception {
        FeedStream feed = new FeedStream();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Coalescer refusing = new Coalescer(1 << 20, task -> {
            throw new RejectedExecutionException("pump shut down");
        });

        try (Coalescer.Subscription leader = refusing.join(KEY,
                streaming(feed, new AtomicReference<>(), failed))) {
            feed.feed(new byte[] {1});
            assertThat(leader.body().read()).isEqualTo(1);
            assertThatThrownBy(() -> leader.body().read()).isInstanceOf(IOException.class)
                    .hasMessageContaining("pump shut down");
        }
        assertThat(failed.get()).isInstanceOf(RejectedExecutionException.class);
        assertThat(feed.isClosed()).isTrue();
        assertThat(refusing.inFlight()).isZero();
    }
}
