package dev.xigate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.xigate.metrics.MetricNames;
import dev.xigate.metrics.MicrometerGatewayMetrics;
import dev.xigate.metrics.QuotaStatus;
import dev.xigate.metrics.RequestOutcome;
import dev.xigate.plan.ModelFamily;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the dashboard page in headless Chromium against a loopback server whose metrics change, and checks that the
 * rendered numbers follow them. Leaves a screenshot in target/test-artifacts/.
 */
class DashboardBrowserTest {
    @TempDir
    Path profile;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger breakerState = new AtomicInteger();
    private final AtomicInteger externalRequests = new AtomicInteger();
    private HttpServer server;
    private String pageUrl;

    @BeforeEach
    void startAdminStub() throws IOException {
        DashboardSampler sampler = new DashboardSampler(registry, InstantSource.system(), Duration.ZERO);
        metrics.registerPool(ModelFamily.TURBO_FLASH, inFlight::get, () -> 20);
        metrics.registerQueue(ModelFamily.TURBO_FLASH, "high", queued::get);
        metrics.registerBreaker("upstream", breakerState::get);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/dashboard", exchange -> send(exchange, DashboardPage.CONTENT_TYPE,
                DashboardPage.html()));
        server.createContext("/dashboard" + DashboardPage.SNAPSHOT_SUFFIX, exchange -> send(exchange,
                "application/json", sampler.sample().toJson()));
        server.createContext("/", exchange -> {
            // The page must need nothing but its own two URLs (no CDN, no fonts, no favicon that matters).
            if (!exchange.getRequestURI().getPath().equals("/favicon.ico")) {
                externalRequests.incrementAndGet();
            }
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        pageUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/dashboard";
    }

    @AfterEach
    void stop() {
        server.stop(0);
        metrics.close();
    }

    private static void send(HttpExchange exchange, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void numbersFollowTheLoadInHeadlessChromium() throws Exception {
        Path chromium = chromium();

        String idle = run(chromium, "--dump-dom", pageUrl);
        inFlight.set(17);
        queued.set(42);
        breakerState.set((int) MetricNames.BREAKER_OPEN);
        metrics.recordQuota(new QuotaStatus.Known(930, 1000, Instant.now()));
        recordRequests(25);
        String busy = run(chromium, "--dump-dom", pageUrl);
        recordRequests(25);
        Path artifacts = Files.createDirectories(Path.of("target", "test-artifacts"));
        Path screenshot = artifacts.resolve("dashboard.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        run(chromium, "--screenshot=" + screenshot, "--window-size=1280,800", pageUrl);

        assertThat(field(idle, "inFlight")).isEqualTo("0");
        assertThat(field(idle, "totalRequests")).isEqualTo("0");
        assertThat(field(busy, "inFlight")).isEqualTo("17");
        assertThat(field(busy, "limit")).isEqualTo("20");
        assertThat(field(busy, "queueTotal")).isEqualTo("42");
        assertThat(field(busy, "totalRequests")).isEqualTo("25");
        assertThat(field(busy, "totalErrors")).isEqualTo("5");
        assertThat(field(busy, "quotaUsedPercentage")).isEqualTo("93.0 %");
        assertThat(busy).contains("upstream: open");
        assertThat(idle).contains("upstream: closed");
        assertThat(externalRequests.get()).isZero();
        assertThat(screenshot).isNotEmptyFile();
    }

    private void recordRequests(int count) {
        for (int i = 0; i < count; i++) {
            metrics.recordRequest(new RequestOutcome("r" + i, null, "web", "tts", null, ModelFamily.TURBO_FLASH,
                    "high", i % 5 == 0 ? 503 : 200, 1, 1_000_000, 300_000_000L + i * 40_000_000L, 90_000_000L, 12,
                    1.5, i % 5 == 0 ? "upstream_5xx" : null, RequestOutcome.CacheResult.MISS));
        }
    }

    private static String field(String dom, String name) {
        Matcher matcher = Pattern.compile("data-field=\"" + name + "\"[^>]*>([^<]*)<").matcher(dom);
        assertThat(matcher.find()).as("field %s in the DOM", name).isTrue();
        return matcher.group(1).trim();
    }

    private String run(Path chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--virtual-time-budget=4000"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s");
        }
        return out;
    }

    private static Path chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String reason = "chromium not found on PATH (install the Debian package chromium)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(reason + "; CI=true requires it");
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }
}
