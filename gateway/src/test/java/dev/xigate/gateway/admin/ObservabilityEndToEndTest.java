package dev.xigate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.FaultKind;
import dev.xigate.simulator.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running gateway seen from outside: a real Prometheus server scrapes its admin port, and headless Chromium
 * renders its dashboard under load. Both programs run on loopback from temp dirs and are stopped after each test.
 */
class ObservabilityEndToEndTest {
    private static final int REQUESTS = 16;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private ObservedGateway observed;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (observed != null) {
            observed.close();
        }
    }

    @Test
    void prometheusScrapesTheSeedSeriesFromTheGateway() throws Exception {
        Path prometheus = ExternalTools.require("prometheus", "prometheus");
        // Some 500s make the gateway retry, so the retry counter has samples too.
        observed = ObservedGateway.start(Set.of(ObservedGateway.UPSTREAM_KEY), 0.05, 10, ChaosConfig.builder()
                .failureRate(FaultKind.ERROR_500, 0.3).build());
        int port = ExternalTools.freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: xigate
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(observed.gateway.adminPort()));
        processes.add(new ProcessBuilder(prometheus.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start());

        observed.speakAndWait(16, "user-1");
        observed.speak(2, "no-such-voice", "user-1").forEach(CompletableFuture::join);
        String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";

        for (String series : List.of("elevenlabs_requests_total", "elevenlabs_requests_duration_seconds_bucket",
                "elevenlabs_concurrent_requests", "elevenlabs_queue_depth", "elevenlabs_errors_total",
                "elevenlabs_retries_total", "elevenlabs_circuit_breaker_state",
                "elevenlabs_characters_generated_total", "elevenlabs_audio_duration_seconds_total",
                "elevenlabs_quota_used_percentage", "elevenlabs_queue_wait_seconds_bucket",
                "elevenlabs_concurrency_limit", "jvm_memory_used_bytes")) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(query(api, series).path("data").path("result").size())
                            .as("series %s in Prometheus", series).isPositive());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(value(query(api,
                "sum(elevenlabs_requests_total{job=\"xigate\",family=\"multilingual\"})"))).isEqualTo(18.0));
        assertThat(value(query(api, "sum(elevenlabs_errors_total{job=\"xigate\",error_type=\"upstream_400\"})")))
                .isEqualTo(2.0);
        assertThat(value(query(api, "sum(elevenlabs_retries_total{job=\"xigate\"})"))).isPositive();
        assertThat(value(query(api, "max(elevenlabs_circuit_breaker_state{breaker=\"multilingual\"})"))).isZero();
        assertThat(value(query(api, "max(elevenlabs_concurrency_limit{family=\"multilingual\"})"))).isEqualTo(10.0);
    }

    @Test
    void dashboardNumbersFollowTheLoadInHeadlessChromium() throws Exception {
        Path chromium = ExternalTools.require("chromium", "chromium", "chromium-browser");
        // A limit of 2 and answers that take 2 s each keep requests queued for about 16 s while the page loads.
        observed = ObservedGateway.start(Set.of(ObservedGateway.UPSTREAM_KEY), 0.2, 2, ChaosConfig.builder()
                .extraLatency(Duration.ofSeconds(2)).build());
        String page = "http://127.0.0.1:" + observed.gateway.adminPort() + "/dashboard";

        String idle = dumpDom(chromium, page);
        List<CompletableFuture<HttpResponse<String>>> load = observed.speak(REQUESTS, Simulator.DEFAULT_VOICE_ID,
                "user-9");
        await().atMost(Duration.ofSeconds(10)).until(() -> observed.observability.registry()
                .get("elevenlabs_queue_depth").tag("family", "multilingual").gauges().stream()
                .mapToDouble(gauge -> gauge.value()).sum() >= REQUESTS / 2);
        // The page fills its fields from its first poll; on a loaded machine a dump can come before that poll.
        String busy = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> dumpDom(chromium, page), dom -> "2".equals(poolField(dom, "multilingual", "inFlight")));
        Path screenshot = Files.createDirectories(Path.of("target", "test-artifacts"))
                .resolve("gateway-dashboard.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        run(chromium, "--screenshot=" + screenshot, "--window-size=1280,900", page);
        load.forEach(CompletableFuture::join);
        String after = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> dumpDom(chromium, page),
                        dom -> String.valueOf(REQUESTS).equals(field(dom, "totalRequests")));

        assertThat(poolField(idle, "multilingual", "inFlight")).isEqualTo("0");
        assertThat(poolField(idle, "multilingual", "queueTotal")).isEqualTo("0");
        assertThat(field(idle, "totalRequests")).isEqualTo("0");
        assertThat(poolField(busy, "multilingual", "inFlight")).isEqualTo("2");
        assertThat(poolField(busy, "multilingual", "limit")).isEqualTo("2");
        assertThat(Integer.parseInt(poolField(busy, "multilingual", "queueTotal"))).isPositive();
        assertThat(poolField(after, "multilingual", "inFlight")).isEqualTo("0");
        assertThat(poolField(after, "multilingual", "queueTotal")).isEqualTo("0");
        assertThat(field(after, "totalRequests")).isEqualTo(String.valueOf(REQUESTS));
        assertThat(screenshot).isNotEmptyFile();
    }

    private JsonNode query(String api, String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    private static double value(JsonNode result) {
        JsonNode first = result.path("data").path("result").get(0);
        return first == null ? Double.NaN : first.path("value").get(1).asDouble();
    }

    private String dumpDom(Path chromium, String page) throws IOException, InterruptedException {
        return run(chromium, "--dump-dom", page);
    }

    private String run(Path chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir.resolve("profile"),
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

    private static String poolField(String dom, String family, String name) {
        int card = dom.indexOf("data-pool=\"" + family + "\"");
        assertThat(card).as("card of pool %s in the DOM", family).isNotNegative();
        return field(dom.substring(card), name);
    }

    private static String field(String dom, String name) {
        Matcher matcher = Pattern.compile("data-field=\"" + name + "\"[^>]*>([^<]*)<").matcher(dom);
        assertThat(matcher.find()).as("field %s in the DOM", name).isTrue();
        return matcher.group(1).trim();
    }
}
