package dev.xigate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.xigate.plan.ModelFamily;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a real Prometheus server on loopback that scrapes a registry fed by {@link MicrometerGatewayMetrics}, and
 * finds the seed's series through its query API: the exposition is what Prometheus itself accepts.
 */
class PrometheusServerScrapeTest {
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer target;
    private Process prometheus;

    @AfterEach
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (target != null) {
            target.stop(0);
        }
        metrics.close();
    }

    @Test
    void prometheusIngestsEverySeedSeries() throws Exception {
        Path binary = prometheusBinary();
        recordTraffic();
        int targetPort = startTarget();
        int prometheusPort = freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: xigate
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(targetPort));

        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";

        for (String series : List.of("elevenlabs_requests_total", "elevenlabs_requests_duration_seconds_bucket",
                "elevenlabs_concurrent_requests", "elevenlabs_queue_depth", "elevenlabs_errors_total",
                "elevenlabs_retries_total", "elevenlabs_circuit_breaker_state",
                "elevenlabs_characters_generated_total", "elevenlabs_audio_duration_seconds_total",
                "elevenlabs_quota_used_percentage")) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(query(api, series).path("data").path("result").size())
                            .as("series %s in Prometheus", series).isPositive());
        }
        JsonNode requests = query(api, "sum(elevenlabs_requests_total{job=\"xigate\"})");
        assertThat(requests.path("data").path("result").get(0).path("value").get(1).asDouble()).isEqualTo(3.0);
        JsonNode p95 = query(api,
                "histogram_quantile(0.95, sum by (le) (elevenlabs_requests_duration_seconds_bucket))");
        assertThat(p95.path("data").path("result").get(0).path("value").get(1).asDouble()).isBetween(1.0, 3.0);
    }

    private void recordTraffic() {
        metrics.registerPool(ModelFamily.MULTILINGUAL, () -> 2, () -> 10);
        metrics.registerQueue(ModelFamily.MULTILINGUAL, "normal", () -> 5);
        metrics.registerBreaker("upstream", () -> MetricNames.BREAKER_CLOSED);
        metrics.recordQuota(new QuotaStatus.Known(42, 100, Instant.now()));
        for (int status : new int[] {200, 200, 500}) {
            metrics.recordRequest(new RequestOutcome("r", null, "web", "tts", "eleven_multilingual_v2",
                    ModelFamily.MULTILINGUAL, "normal", status, 2, 0, 1_800_000_000L, 200_000_000L, 50, 3.0,
                    status == 500 ? "upstream_5xx" : null, RequestOutcome.CacheResult.MISS));
        }
        metrics.recordRetry(ModelFamily.MULTILINGUAL, "upstream_5xx");
    }

    private int startTarget() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", exchange -> {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS
                    : TEXT;
            byte[] body = registry.scrape(contentType).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        return target.getAddress().getPort();
    }

    private JsonNode query(String api, String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path prometheusBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "prometheus");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String reason = "prometheus not found on PATH (install the Debian package prometheus)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(reason + "; CI=true requires it");
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }
}
