package dev.xigate.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResilienceSettingsReaderTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode section(String yaml) throws Exception {
        return YAML.readTree(yaml).path("resilience");
    }

    @Test
    void absentSectionGivesDefaults() throws Exception {
        assertThat(ResilienceSettingsReader.read(section("plan: pro\n"))).isEqualTo(ResilienceSettings.ofDefaults());
    }

    @Test
    void readsEverySection() throws Exception {
        ResilienceSettings settings = ResilienceSettingsReader.read(section("""
                resilience:
                  retry: {max-attempts: 3, overall-deadline: 10s, attempt-timeout: 2s, budget-ratio: 0.1,
                          budget-min-retries: 4, budget-window: 2m, retry-after-cap: 5s}
                  circuit: {failure-threshold: 7, open-duration: 30s, half-open-probes: 2, monitor-interval: 1s,
                            slow-start: 0s}
                  cache: {enabled: true, directory: /tmp/audio, memory-max-bytes: 8MiB, disk-max-bytes: 2GiB,
                          max-age: 48h, max-entry-bytes: 1024, cache-zero-retention: true}
                  endpoint-deadlines: {text_to_speech_stream: 60s}
                  stream-idle-timeout: 5s
                  coalescing: false
                """));

        assertThat(settings.retry().maxAttempts()).isEqualTo(3);
        assertThat(settings.retry().overallDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.retry().budgetRatio()).isEqualTo(0.1);
        assertThat(settings.circuit().failureThreshold()).isEqualTo(7);
        assertThat(settings.circuit().slowStartDuration()).isZero();
        assertThat(settings.cache().directory()).isEqualTo(Path.of("/tmp/audio"));
        assertThat(settings.cache().memoryMaxBytes()).isEqualTo(8L << 20);
        assertThat(settings.cache().diskMaxBytes()).isEqualTo(2L << 30);
        assertThat(settings.cache().cacheZeroRetention()).isTrue();
        assertThat(settings.deadlineOf("text_to_speech_stream")).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.deadlineOf("text_to_speech")).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.coalescing()).isFalse();
    }

    @Test
    void namesBadKeysAndValues() {
        assertThatThrownBy(() -> ResilienceSettingsReader.read(section("resilience: {retries: 3}\n")))
                .hasMessageStartingWith("resilience.retries: unknown key");
        assertThatThrownBy(() -> ResilienceSettingsReader.read(section("resilience: {retry: {max-attempts: 0}}\n")))
                .hasMessage("resilience.maxAttempts: 0 (expected: >= 1)");
        assertThatThrownBy(() -> ResilienceSettingsReader.read(section(
                "resilience: {circuit: {open-duration: soon}}\n")))
                .hasMessageStartingWith("resilience.circuit.open-duration: \"soon\" (expected:");
        assertThatThrownBy(() -> ResilienceSettingsReader.read(section(
                "resilience: {cache: {disk-max-bytes: 1TB}}\n")))
                .hasMessageStartingWith("resilience.cache.disk-max-bytes: \"1TB\" (expected:");
    }
}
