package dev.xigate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class Http1ClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] NO_BODY = new byte[0];

    @Test
    void sendsTheRequestAndReusesTheConnectionForTheNextOne() throws Exception {
        BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            ScriptedServer.Request request;
            while ((request = peer.read()) != null) {
                seen.add(request);
                peer.answer(200, "{\"n\":" + seen.size() + "}", "Content-Type: application/json");
            }
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            byte[] json = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
            try (Http1Response first = client.send("POST", "/v1/text-to-speech/abc?output_format=mp3_44100_128",
                    Map.of("xi-api-key", List.of("k1"), "Host", List.of("ignored")), json, TIMEOUT)) {
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.header("Content-Type")).contains("application/json");
                assertThat(first.contentLength()).isEqualTo(7);
                assertThat(new String(first.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
                assertThat(first.isReleased()).isTrue();
            }
            try (Http1Response second = client.send("GET", "/v1/models", Map.of(), NO_BODY, TIMEOUT)) {
                assertThat(second.body().readAllBytes()).hasSize(7);
            }
            ScriptedServer.Request post = seen.take();
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.target()).isEqualTo("/v1/text-to-speech/abc?output_format=mp3_44100_128");
            assertThat(post.header("host")).isEqualTo("127.0.0.1:" + server.port());
            assertThat(post.header("xi-api-key")).isEqualTo("k1");
            assertThat(post.header("content-length")).isEqualTo(String.valueOf(json.length));
            assertThat(post.body()).isEqualTo(json);
            ScriptedServer.Request get = seen.take();
            assertThat(get.method()).isEqualTo("GET");
            assertThat(get.header("content-length")).isNull();
            assertThat(server.connections()).isEqualTo(1);
            assertThat(client.connectionsOpened()).isEqualTo(1);
            assertThat(client.connectionsReused()).isEqualTo(1);
        }
    }

    @Test
    void streamsChunkedBodyAsChunksArrive() throws Exception {
        CountDownLatch firstChunkRead = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            while (peer.read() != null) {
                peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: audio/mpeg\r\n\r\n"
                        + "5;ext=1\r\nfirst\r\n");
                // The rest is sent only after the client saw the first chunk: it cannot have buffered the body.
                if (!firstChunkRead.await(10, TimeUnit.SECONDS)) {
                    return;
                }
                peer.send("6\r\nsecond\r\n0\r\nx-trailer: 1\r\n\r\n");
            }
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            try (Http1Response response = client.send("POST", "/stream", Map.of(), NO_BODY, TIMEOUT)) {
                assertThat(response.contentLength()).isEqualTo(-1);
                byte[] buffer = new byte[64];
                InputStream body = response.body();
                int n = body.read(buffer);
                assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).isEqualTo("first");
                firstChunkRead.countDown();
                assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("second");
                assertThat(response.isReleased()).isTrue();
            }
            try (Http1Response again = client.send("POST", "/stream", Map.of(), NO_BODY, TIMEOUT)) {
                assertThat(again.body().readAllBytes()).hasSize(11);
            }
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void readsCloseDelimitedBodyAndDoesNotReuseItsConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.send("HTTP/1.1 200 OK\r\n\r\nuntil the end");
            peer.close();
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            for (int i = 0; i < 2; i++) {
                try (Http1Response response = client.send("GET", "/", Map.of(), NO_BODY, TIMEOUT)) {
                    assertThat(new String(response.body().readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("until the end");
                    assertThat(response.isReleased()).isFalse();
                }
            }
            assertThat(server.connections()).isEqualTo(2);
            assertThat(client.idleConnections()).isZero();
        }
    }

    @Test
    void connectionCloseHeaderKeepsTheConnectionOutOfThePool() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            while (peer.read() != null) {
                peer.answer(200, "ok", "Connection: close");
            }
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            for (int i = 0; i < 2; i++) {
                try (Http1Response response = client.send("GET", "/", Map.of(), NO_BODY, TIMEOUT)) {
                    assertThat(response.body().readAllBytes()).hasSize(2);
                }
            }
            assertThat(client.connectionsOpened()).isEqualTo(2);
            assertThat(client.connectionsReused()).isZero();
        }
    }

    @Test
    void headAnd204AnswersHaveNoBodyAndKeepTheConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            ScriptedServer.Request request;
            while ((request = peer.read()) != null) {
                if (request.method().equals("HEAD")) {
                    peer.send("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
                } else {
                    peer.send("HTTP/1.1 204 No Content\r\n\r\n");
                }
            }
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            try (Http1Response head = client.send("HEAD", "/", Map.of(), NO_BODY, TIMEOUT)) {
                assertThat(head.body().read()).isEqualTo(-1);
                assertThat(head.header("content-length")).contains("1234");
            }
            try (Http1Response noContent = client.send("DELETE", "/x", Map.of(), NO_BODY, TIMEOUT)) {
                assertThat(noContent.status()).isEqualTo(204);
                assertThat(noContent.body().read()).isEqualTo(-1);
            }
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void skipsInterimContinueAnswers() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.send("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n");
            peer.answer(201, "made");
        }); Http1Client client = Http1Client.builder(server.uri()).build();
                Http1Response response = client.send("POST", "/", Map.of(), new byte[] {1}, TIMEOUT)) {
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.body().readAllBytes()).hasSize(4);
        }
    }

    @Test
    void headTimeoutFailsWithHttpTimeoutAndClosesTheConnection() throws Exception {
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            clientClosed.complete(peer.clientClosed(10_000));
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.send("GET", "/slow", Map.of(), NO_BODY, Duration.ofMillis(200)))
                    .isInstanceOf(HttpTimeoutException.class)
                    .hasMessageContaining("200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(clientClosed.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(client.idleConnections()).isZero();
        }
    }

    @Test
    void sendsAgainOnceWhenAKeptAliveConnectionWasClosedByTheServer() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.answer(200, "one");
            // Keep-alive promised, then the server drops the idle connection, as servers do after a while.
            peer.close();
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            try (Http1Response first = client.send("POST", "/", Map.of(), new byte[] {1}, TIMEOUT)) {
                first.body().readAllBytes();
            }
            // Whether the server's close arrives before or after the second request is written, that request
            // finds the connection dead before any byte of an answer: either way it must be sent again.
            try (Http1Response second = client.send("POST", "/", Map.of(), new byte[] {2}, TIMEOUT)) {
                assertThat(second.status()).isEqualTo(200);
                assertThat(second.body().readAllBytes()).hasSize(3);
            }
            assertThat(client.staleRetries()).isEqualTo(1);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void doesNotSendAgainWhenAFreshConnectionFails() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.close();
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            assertThatThrownBy(() -> client.send("POST", "/", Map.of(), new byte[] {1}, TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("before answering");
            assertThat(server.connections()).isEqualTo(1);
            assertThat(client.staleRetries()).isZero();
        }
    }

    @Test
    void rejectsMalformedAnswers() throws Exception {
        List<String> answers = List.of("HTTP/1.1 2OO OK\r\n\r\n", "SPDY/3 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n");
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.send(answers.get(index));
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            for (int i = 0; i < answers.size(); i++) {
                assertThatThrownBy(() -> client.send("GET", "/", Map.of(), NO_BODY, TIMEOUT))
                        .isInstanceOf(ProtocolException.class);
            }
            assertThat(client.idleConnections()).isZero();
        }
    }

    @Test
    void failsABodyCutShortAndClosesItsConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
            peer.close();
        }); Http1Client client = Http1Client.builder(server.uri()).build();
                Http1Response response = client.send("GET", "/", Map.of(), NO_BODY, TIMEOUT)) {
            assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class)
                    .hasMessageContaining("91 bytes before the end");
            assertThat(response.isReleased()).isFalse();
            assertThat(client.idleConnections()).isZero();
        }
    }

    @Test
    void closingEarlyKeepsTheConnectionWhenTheRestIsAlreadyBuffered() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            while (peer.read() != null) {
                peer.answer(429, "{\"detail\":{\"status\":\"too_many_concurrent_requests\",\"message\":\"busy\"}}");
            }
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            try (Http1Response busy = client.send("POST", "/", Map.of(), NO_BODY, TIMEOUT)) {
                assertThat(busy.body().readNBytes(5)).hasSize(5);
            }
            try (Http1Response again = client.send("POST", "/", Map.of(), NO_BODY, TIMEOUT)) {
                assertThat(again.status()).isEqualTo(429);
            }
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void closingAStreamMidwayClosesItsConnection() throws Exception {
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n");
            clientClosed.complete(peer.clientClosed(10_000));
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            Http1Response response = client.send("POST", "/", Map.of(), NO_BODY, TIMEOUT);
            assertThat(response.body().read(new byte[10])).isEqualTo(4);
            response.close();
            assertThat(clientClosed.get(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> response.body().read(new byte[10])).isInstanceOf(IOException.class);
            assertThat(client.idleConnections()).isZero();
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            peer.clientClosed(10_000);
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            Http1Response response = client.send("POST", "/", Map.of(), NO_BODY, TIMEOUT);
            CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    response.body().read(new byte[10]);
                    readFailure.complete(null);
                } catch (IOException e) {
                    readFailure.complete(e);
                }
            });
            awaitBlocked(reader);
            response.close();
            assertThat(readFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void interruptingTheCallerEndsTheWaitWithInterruptedException() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            peer.read();
            peer.clientClosed(10_000);
        }); Http1Client client = Http1Client.builder(server.uri()).build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    client.send("GET", "/", Map.of(), NO_BODY, TIMEOUT).close();
                    outcome.complete(null);
                } catch (IOException | InterruptedException e) {
                    outcome.complete(e);
                }
            });
            awaitBlocked(caller);
            caller.interrupt();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void rejectsHeaderValuesWithLineBreaksBeforeSendingAnything() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> peer.read());
                Http1Client client = Http1Client.builder(server.uri()).build()) {
            assertThatThrownBy(() -> client.send("GET", "/", Map.of("x-a", List.of("1\r\nx-injected: 2")), NO_BODY,
                    TIMEOUT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-a");
            assertThatThrownBy(() -> client.send("GET", "/", Map.of("bad name", List.of("1")), NO_BODY, TIMEOUT))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.send("GET", "no-slash", Map.of(), NO_BODY, TIMEOUT))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(server.connections()).isZero();
        }
    }

    @Test
    void opensANewConnectionInsteadOfReusingOneIdleTooLong() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            while (peer.read() != null) {
                peer.answer(200, "ok");
            }
        }); Http1Client client = Http1Client.builder(server.uri()).idleTimeout(Duration.ofSeconds(30))
                .nanoClock(now::get).build()) {
            client.send("GET", "/", Map.of(), NO_BODY, TIMEOUT).body().readAllBytes();
            now.addAndGet(Duration.ofSeconds(29).toNanos());
            client.send("GET", "/", Map.of(), NO_BODY, TIMEOUT).body().readAllBytes();
            assertThat(client.connectionsOpened()).isEqualTo(1);
            now.addAndGet(Duration.ofSeconds(31).toNanos());
            client.send("GET", "/", Map.of(), NO_BODY, TIMEOUT).body().readAllBytes();
            assertThat(client.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void manyThreadsShareThePoolWithoutMixingAnswers() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((index, peer) -> {
            ScriptedServer.Request request;
            while ((request = peer.read()) != null) {
                String id = request.header("x-id");
                peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(id.length())
                        + "\r\n" + id + "\r\n0\r\n\r\n");
            }
        }); Http1Client client = Http1Client.builder(server.uri()).maxIdleConnections(8).build();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String id = "request-" + i;
                calls.add(threads.submit(() -> {
                    try (Http1Response response = client.send("GET", "/", Map.of("x-id", List.of(id)), NO_BODY,
                            TIMEOUT)) {
                        return new String(response.body().readAllBytes(), StandardCharsets.US_ASCII).equals(id);
                    }
                }));
            }
            for (Future<Boolean> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(client.idleConnections()).isLessThanOrEqualTo(8);
            assertThat(client.connectionsOpened() + client.connectionsReused()).isEqualTo(400);
            assertThat(server.failures()).isEmpty();
        }
    }

    private static void awaitBlocked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        TimeUnit.MILLISECONDS.sleep(50);
    }
}
