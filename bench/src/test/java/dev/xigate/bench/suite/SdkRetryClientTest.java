package dev.xigate.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.xigate.loadtest.Endpoint;
import dev.xigate.loadtest.Outcome;
import dev.xigate.loadtest.PlannedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SdkRetryClientTest {
    private static final Instant NOW = Instant.parse("2026-12-03T16:00:00Z");

    private HttpServer server;
    private final Deque<int[]> answers = new ConcurrentLinkedDeque<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String retryAfter;
    private final List<Long> sleeps = new ArrayList<>();
    private HttpClient http;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            int[] answer = answers.isEmpty() ? new int[] {200} : answers.poll();
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("retry-after", retryAfter);
            }
            byte[] body = new byte[16];
            exchange.sendResponseHeaders(answer[0], body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        http.close();
    }

    private SdkRetryClient client(double random) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new SdkRetryClient(http, base, Duration.ofSeconds(5), SdkRetryClient.SDK_MAX_RETRIES, () -> random,
                sleeps::add, () -> NOW, System::nanoTime);
    }

    private static PlannedRequest request() {
        return new PlannedRequest(1, Endpoint.CONVERT, "eleven_multilingual_v2", null, "c", "key", "voice", "hi");
    }

    @Test
    void retriesA429TwiceWithExponentialBackoffThenGivesUp() {
        answers.add(new int[] {429});
        answers.add(new int[] {429});
        answers.add(new int[] {429});
        SdkRetryClient client = client(0.5);

        Outcome outcome = client.send(request());

        assertThat(outcome).isInstanceOf(Outcome.Failure.class);
        assertThat(outcome.status()).isEqualTo(429);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(sleeps).containsExactly(1_000L, 2_000L);
        assertThat(client.throttledSeen()).isEqualTo(3);
        assertThat(client.retries()).isEqualTo(2);
    }

    @Test
    void jitterStaysWithinTenPercent() {
        answers.add(new int[] {503});
        answers.add(new int[] {500});
        client(0.0).send(request());
        answers.add(new int[] {502});

        client(0.999_999).send(request());

        assertThat(sleeps).containsExactly(900L, 1_800L, 1_100L);
    }

    @Test
    void honoursRetryAfterSecondsWithoutJitter() {
        answers.add(new int[] {429});
        retryAfter = "3";

        Outcome outcome = client(0.9).send(request());

        assertThat(outcome).isInstanceOf(Outcome.Success.class);
        assertThat(sleeps).containsExactly(3_000L);
    }

    @Test
    void honoursRetryAfterDateCappedAtSixtySeconds() {
        answers.add(new int[] {503});
        retryAfter = "Thu, 03 Dec 2026 16:05:00 GMT";

        client(0.5).send(request());

        assertThat(sleeps).containsExactly(60_000L);
    }

    @Test
    void doesNotRetryClientErrors() {
        answers.add(new int[] {422});

        Outcome outcome = client(0.5).send(request());

        assertThat(outcome.status()).isEqualTo(422);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void doesNotRetryNetworkErrors() {
        server.stop(0);

        Outcome outcome = client(0.5).send(request());

        assertThat(outcome).isEqualTo(new Outcome.Failure(0, "io_error", 0));
        assertThat(sleeps).isEmpty();
    }
}
