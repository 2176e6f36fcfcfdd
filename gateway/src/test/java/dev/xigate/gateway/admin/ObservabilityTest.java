package dev.xigate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.metrics.AccessLogEntry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The gateway with observability installed, in front of the real simulator, all on loopback. */
class ObservabilityTest {
    private static final String CLIENT_KEY = ObservedGateway.CLIENT_KEY;
    private static final String UPSTREAM_KEY = ObservedGateway.UPSTREAM_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private ObservedGateway observed;

    @BeforeEach
    void captureLogs() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
    }

    private void start(Set<String> acceptedUpstreamKeys) {
        observed = ObservedGateway.start(acceptedUpstreamKeys, 0.05, 10);
        closeables.add(observed);
    }

    private List<HttpResponse<String>> speak(int count, String userId) {
        return observed.speakAndWait(count, userId);
    }

    private HttpResponse<String> admin(String path, String accept) throws Exception {
        return observed.admin(path, accept);
    }

    @Test
    void metricsShowSeedSeriesAfterTraffic() throws Exception {
        start(Set.of(UPSTREAM_KEY));

        assertThat(speak(6, "user-1")).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
        HttpResponse<String> text = admin("/metrics", null);
        HttpResponse<String> openMetrics = admin("/metrics", "application/openmetrics-text; version=1.0.0");

        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("content-type")).hasValueSatisfying(value ->
                assertThat(value).startsWith("text/plain; version=0.0.4"));
        assertThat(text.body())
                .contains("elevenlabs_requests_total{client=\"app\",endpoint=\"text_to_speech_stream\","
                        + "family=\"multilingual\",priority=\"normal\",status_class=\"2xx\"} 6.0")
                .contains("elevenlabs_requests_duration_seconds_bucket{endpoint=\"text_to_speech_stream\","
                        + "family=\"multilingual\"")
                .contains("elevenlabs_concurrent_requests{family=\"multilingual\"} 0.0")
                .contains("elevenlabs_concurrency_limit{family=\"multilingual\"} 10.0")
                .contains("elevenlabs_queue_depth{family=\"multilingual\",priority=\"high\"} 0.0")
                .contains("elevenlabs_characters_generated_total{client=\"app\",family=\"multilingual\"}")
                .containsPattern("elevenlabs_audio_duration_seconds_total\\{family=\"multilingual\"} [1-9]")
                .contains("elevenlabs_time_to_first_byte_seconds_bucket")
                .contains("elevenlabs_queue_wait_seconds_bucket")
                .doesNotContain("user-1");
        assertThat(openMetrics.body()).contains("# TYPE elevenlabs_characters_generated counter").endsWith("# EOF\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin("/metrics", null).body())
                .contains("elevenlabs_upstream_up 1.0").containsPattern("elevenlabs_quota_used_percentage \\d"));
    }

    @Test
    void readyIsUpWithEveryCheckListed() throws Exception {
        start(Set.of(UPSTREAM_KEY));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin("/health/ready", null)
                .statusCode()).isEqualTo(200));
        JsonNode report = JSON.readTree(admin("/health/ready", null).body());

        assertThat(report.path("status").asText()).isEqualTo("UP");
        assertThat(report.path("checks").path("upstream").path("detail").asText()).startsWith("key accepted");
        assertThat(report.path("checks").path("queue:multilingual").path("status").asText()).isEqualTo("UP");
        assertThat(admin("/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void readyFailsAndSaysWhyWhenUpstreamRejectsTheKey() throws Exception {
        start(Set.of("some-other-key"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin("/health/ready", null)
                .statusCode()).isEqualTo(503));
        JsonNode upstream = JSON.readTree(admin("/health/ready", null).body()).path("checks").path("upstream");

        assertThat(upstream.path("status").asText()).isEqualTo("DOWN");
        assertThat(upstream.path("detail").asText()).contains("upstream rejected the configured key: http 401");
        assertThat(admin("/metrics", null).body()).contains("elevenlabs_upstream_up 0.0");
    }

    @Test
    void dashboardServesPageAndChangingSnapshot() throws Exception {
        start(Set.of(UPSTREAM_KEY));
        HttpResponse<String> page = admin("/dashboard", null);
        JsonNode before = JSON.readTree(admin("/dashboard/snapshot", null).body());

        speak(4, "user-2");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(JSON.readTree(
                admin("/dashboard/snapshot", null).body()).path("totals").path("requests").asInt()).isEqualTo(4));

        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>xigate dashboard</title>").doesNotContain("http://", "https://");
        assertThat(before.path("totals").path("requests").asInt()).isZero();
        assertThat(before.path("pools").findValuesAsText("family")).contains("multilingual", "turbo_flash");
    }

    @Test
    void writesOneJsonAccessEventPerRequestWithoutSecrets() {
        start(Set.of(UPSTREAM_KEY));

        speak(3, "user-3");
        await().atMost(Duration.ofSeconds(5)).until(() -> accessEvents().size() == 3);

        Map<String, Object> fields = accessEvents().getFirst().getKeyValuePairs().stream()
                .collect(Collectors.toMap(pair -> pair.key, pair -> String.valueOf(pair.value)));
        assertThat(fields).containsEntry("client", "app").containsEntry("userId", "user-3")
                .containsEntry("model", "eleven_multilingual_v2").containsEntry("family", "multilingual")
                .containsEntry("priority", "normal").containsEntry("status", "200").containsEntry("attempts", "1")
                .containsKeys("requestId", "queueWaitMs", "durationMs", "characters", "firstByteMs", "audioSeconds");
        assertThat(accessEvents().getFirst().getFormattedMessage()).endsWith(" Request completed");
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            assertThat(everythingIn(event)).doesNotContain(UPSTREAM_KEY, CLIENT_KEY);
        }
    }

    private List<ILoggingEvent> accessEvents() {
        return List.copyOf(logs.list).stream()
                .filter(event -> event.getLoggerName().equals(AccessLogEntry.LOGGER_NAME))
                .toList();
    }

    static String everythingIn(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(pair -> text.append(' ').append(pair.key).append('=').append(pair.value));
        }
        event.getMDCPropertyMap().forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
        if (event.getThrowableProxy() != null) {
            text.append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        return text.toString();
    }
}
