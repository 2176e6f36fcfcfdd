package dev.xigate.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringSetupTest {
    private static final List<String> SEED_NAMES = List.of("elevenlabs_requests_total",
            "elevenlabs_requests_duration_seconds", "elevenlabs_concurrent_requests", "elevenlabs_queue_depth",
            "elevenlabs_errors_total", "elevenlabs_retries_total", "elevenlabs_circuit_breaker_state",
            "elevenlabs_characters_generated", "elevenlabs_audio_duration_seconds",
            "elevenlabs_quota_used_percentage");

    @TempDir
    Path out;

    @Test
    void checkedInMonitoringMatchesTheGenerator() throws Exception {
        Path monitoring = CheckedInFiles.root().resolve("monitoring");

        Map<String, String> expected = MonitoringSetup.render(MonitoringOptions.ofDefaults());

        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertThat(monitoring.resolve(file.getKey()))
                    .as("monitoring/%s is stale: run bin/xigate setup-monitoring --out monitoring", file.getKey())
                    .hasContent(file.getValue());
        }
    }

    @Test
    void writesEveryFileIntoTheOutputDirectory() {
        List<Path> written = MonitoringSetup.write(MonitoringOptions.ofDefaults(), out.resolve("new/dir"));

        assertThat(written).hasSize(MonitoringSetup.FILES.size()).allMatch(Files::isRegularFile);
    }

    @Test
    void rendersProjectNamePortsAndLevelEverywhere() {
        var options = new MonitoringOptions("acme-voice", "WARN", 9400, 9401, "https://runbooks.example/x/");

        Map<String, String> files = MonitoringSetup.render(options);

        assertThat(files.get("prometheus.yml")).contains("job_name: acme-voice").contains("127.0.0.1:9400");
        assertThat(files.get("alerts.yml")).contains("job=\"acme-voice\"")
                .contains("https://runbooks.example/x/high-error-rate.md");
        assertThat(files.get("kubernetes.yml")).contains("port: 9401").contains("name: acme-voice-alerts");
        assertThat(files.get("logback.xml")).contains("XIGATE_LOG_LEVEL:-WARN").contains("acme-voice.log")
                .as("no Logback shutdown hook: it would cut off the lines serve logs while it drains")
                .doesNotContain("<shutdownHook");
        assertThat(String.join("", files.values())).doesNotContain("@@");
    }

    @Test
    void listsOnePortWhenMetricsAndHealthShareIt() throws Exception {
        var options = new MonitoringOptions("gw", "info", 9090, 9090, "docs/runbooks");

        JsonNode service = yamlDocuments(MonitoringSetup.render(options).get("kubernetes.yml")).get(0);

        assertThat(service.path("spec").path("ports")).hasSize(1);
    }

    @Test
    void prometheusRuleCarriesTheSameGroupsAsAlertsFile() throws Exception {
        Map<String, String> files = MonitoringSetup.render(MonitoringOptions.ofDefaults());

        List<JsonNode> kube = yamlDocuments(files.get("kubernetes.yml"));
        JsonNode alerts = new YAMLMapper().readTree(files.get("alerts.yml"));

        assertThat(kube).extracting(doc -> doc.path("kind").asText())
                .containsExactly("Service", "ServiceMonitor", "PrometheusRule");
        assertThat(kube.get(2).path("spec").path("groups")).isEqualTo(alerts.path("groups"));
        assertThat(kube.get(1).path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
    }

    @Test
    void alertsAreTheSeedsThresholdsWithRunbooks() throws Exception {
        JsonNode groups = new YAMLMapper().readTree(MonitoringSetup.render(MonitoringOptions.ofDefaults())
                .get("alerts.yml")).path("groups");
        List<String> severities = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                severities.add(rule.path("alert").asText() + "=" + rule.path("labels").path("severity").asText());
                expressions.add(rule.path("expr").asText().replaceAll("\\s+", " ").strip());
                String runbook = rule.path("annotations").path("runbook_url").asText();
                assertThat(CheckedInFiles.root().resolve(runbook)).as("runbook of %s", rule.path("alert"))
                        .isRegularFile();
            }
        }

        assertThat(severities).containsExactly("ElevenLabsHighErrorRate=critical",
                "ElevenLabsCircuitBreakerOpen=critical", "ElevenLabsQueueDepthHigh=critical",
                "ElevenLabsLatencyP95High=warning", "ElevenLabsQuotaAlmostUsed=warning",
                "ElevenLabsRetryRateHigh=warning");
        assertThat(expressions.get(0)).contains("[5m]").endsWith("> 0.05");
        assertThat(expressions.get(2)).endsWith("> 500");
        assertThat(expressions.get(3)).contains("histogram_quantile(0.95,").endsWith("> 2");
        assertThat(expressions.get(4)).endsWith("> 90");
        assertThat(expressions.get(5)).endsWith("> 0.2");
    }

    @Test
    void dashboardIsImportableJsonCoveringEverySeedMetric() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(MonitoringSetup.render(MonitoringOptions.ofDefaults())
                .get("grafana-dashboard.json"));
        StringBuilder expressions = new StringBuilder();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.append(target.path("expr").asText()).append('\n')));

        assertThat(dashboard.path("uid").asText()).isEqualTo("xigate-elevenlabs");
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(12);
        for (String name : SEED_NAMES) {
            assertThat(expressions.toString()).contains(name);
        }
        Matcher ids = Pattern.compile("\"id\" : (\\d+)").matcher(dashboard.toPrettyString());
        List<String> seen = new ArrayList<>();
        while (ids.find()) {
            seen.add(ids.group(1));
        }
        assertThat(seen).doesNotHaveDuplicates();
    }

    @Test
    void rejectsAnInvalidProjectName() {
        assertThatThrownBy(() -> new MonitoringOptions("My App", "info", 9090, 8080, "docs/runbooks"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("project name: My App (expected: lower-case letters, digits and inner dashes, "
                        + "1..52 characters)");
    }

    @Test
    void rejectsAnUnknownLogLevel() {
        assertThatThrownBy(() -> new MonitoringOptions("app", "verbose", 9090, 8080, "docs/runbooks"))
                .hasMessage("log level: verbose (expected: one of [trace, debug, info, warn, error])");
    }

    @Test
    void rejectsAPortOutOfRange() {
        assertThatThrownBy(() -> new MonitoringOptions("app", "info", 0, 8080, "docs/runbooks"))
                .hasMessage("metrics port: 0 (expected: 1..65535)");
        assertThatThrownBy(() -> new MonitoringOptions("app", "info", 9090, 70000, "docs/runbooks"))
                .hasMessage("health port: 70000 (expected: 1..65535)");
    }

    private static List<JsonNode> yamlDocuments(String text) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        var mapper = new ObjectMapper(new YAMLFactory());
        try (var parser = new YAMLFactory().createParser(text)) {
            var iterator = mapper.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                documents.add(iterator.next());
            }
        }
        return documents;
    }
}
