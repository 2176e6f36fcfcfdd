package dev.xigate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuotaPollerTest {
    private static final String KEY = "sk_test0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> body = new AtomicReference<>(
            "{\"tier\":\"pro\",\"character_count\":450000,\"character_limit\":500000}");
    private final AtomicReference<String> receivedKey = new AtomicReference<>();
    private final AtomicInteger polls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<QuotaStatus> published = new CopyOnWriteArrayList<>();
    private volatile boolean hang;
    private HttpServer server;
    private URI base;
    private QuotaPoller poller;

    @BeforeEach
    void startStubUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(QuotaPoller.SUBSCRIPTION_PATH, this::answer);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        // Generous: the machine is shared and loaded; only the timeout test uses a short one.
        poller = new QuotaPoller(HttpClient.newHttpClient(), base, () -> KEY, Duration.ofSeconds(10),
                InstantSource.fixed(NOW), published::add);
    }

    @AfterEach
    void stop() {
        release.countDown();
        poller.close();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        polls.incrementAndGet();
        receivedKey.set(exchange.getRequestHeaders().getFirst("xi-api-key"));
        if (hang) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status.get(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void publishesUsedPercentageFromSubscription() {
        QuotaStatus result = poller.pollOnce();

        assertThat(result).isEqualTo(new QuotaStatus.Known(450_000, 500_000, NOW));
        assertThat(((QuotaStatus.Known) result).usedPercentage()).isEqualTo(90.0);
        assertThat(receivedKey.get()).isEqualTo(KEY);
        assertThat(published).containsExactly(result);
        assertThat(poller.latest()).isEqualTo(result);
    }

    @Test
    void reportsRejectedKeyWithUpstreamReason() {
        status.set(401);
        body.set("{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}");

        QuotaStatus result = poller.pollOnce();

        assertThat(result).isEqualTo(new QuotaStatus.Rejected(401, "invalid_api_key", NOW));
    }

    @Test
    void reportsServerErrorAsUnreachable() {
        status.set(503);
        body.set("busy");

        assertThat(poller.pollOnce()).isEqualTo(new QuotaStatus.Unreachable("http 503 no detail", NOW));
    }

    @Test
    void reportsBodyWithoutUsageAsUnreachable() {
        body.set("{\"tier\":\"pro\"}");

        assertThat(poller.pollOnce()).isInstanceOf(QuotaStatus.Unreachable.class);
    }

    @Test
    void givesUpAfterTimeoutWithoutLeakingKey() {
        hang = true;
        var impatient = new QuotaPoller(HttpClient.newHttpClient(), base, () -> KEY, Duration.ofMillis(300),
                InstantSource.fixed(NOW), ignored -> { });

        QuotaStatus result = impatient.pollOnce();

        assertThat(result).isEqualTo(new QuotaStatus.Unreachable("timeout after 300 ms", NOW));
        assertThat(result.toString()).doesNotContain(KEY);
    }

    @Test
    void reportsClosedPortAsUnreachable() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var unreachable = new QuotaPoller(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + closedPort),
                () -> KEY, Duration.ofSeconds(2), InstantSource.fixed(NOW), ignored -> { });

        assertThat(unreachable.pollOnce()).isEqualTo(new QuotaStatus.Unreachable("network: ConnectException", NOW));
    }

    @Test
    void pollsRepeatedlyOnceStarted() {
        poller.start(Duration.ofMillis(20));

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() >= 3);

        assertThat(published).allMatch(QuotaStatus.Known.class::isInstance);
        assertThatThrownBy(() -> poller.start(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot start quota poller: already started");
    }

    @Test
    void feedsTheQuotaGaugeThroughMetrics() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (var metrics = new MicrometerGatewayMetrics(registry)) {
            metrics.recordQuota(poller.pollOnce());

            assertThat(registry.get(MetricNames.QUOTA_USED_PERCENTAGE).gauge().value()).isEqualTo(90.0);
            assertThat(registry.get(MetricNames.UPSTREAM_UP).gauge().value()).isEqualTo(1.0);
        }
    }
}
