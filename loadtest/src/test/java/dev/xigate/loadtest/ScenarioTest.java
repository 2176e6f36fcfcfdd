package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {
    @TempDir
    Path dir;

    private Scenario load(String yaml) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, yaml);
        return Scenario.load(file);
    }

    @Test
    void readsEveryFieldOfAScenarioFile() throws IOException {
        Scenario scenario = load("""
                name: mixed
                voice_id: abc
                endpoints: {convert: 3, stream: 1, stt: 1, stream-input: 1}
                models: {eleven_flash_v2_5: 1}
                stt_model: scribe_v2
                priorities: {high: 1, low: 3}
                text_length: {distribution: normal, mean: 300, stddev: 50, min: 100, max: 500}
                clients:
                  - {name: web, api_key: key-web, weight: 3}
                  - {name: batch, api_key: key-batch}
                think_time_ms: {min: 10, max: 50}
                """);

        assertThat(scenario.name()).isEqualTo("mixed");
        assertThat(scenario.voiceId()).isEqualTo("abc");
        assertThat(scenario.endpoints()).containsEntry("stream-input", 1.0);
        assertThat(scenario.sttModel()).isEqualTo("scribe_v2");
        assertThat(scenario.textLength().mean()).isEqualTo(300.0);
        assertThat(scenario.clients()).hasSize(2);
        assertThat(scenario.thinkTimeMs().max()).isEqualTo(50);
    }

    @Test
    void samplerFollowsTheWeights() throws IOException {
        Scenario scenario = load("""
                endpoints: {convert: 3, stt: 1}
                priorities: {high: 1, low: 1}
                text_length: {distribution: uniform, min: 20, max: 30}
                clients:
                  - {name: a, api_key: ka, weight: 9}
                  - {name: b, api_key: kb, weight: 1}
                """);
        ScenarioSampler sampler = new ScenarioSampler(scenario, "unused", 7);
        Map<Endpoint, Integer> endpoints = new EnumMap<>(Endpoint.class);
        Map<String, Integer> clients = new HashMap<>();

        for (int i = 0; i < 4000; i++) {
            PlannedRequest request = sampler.next(i);
            endpoints.merge(request.endpoint(), 1, Integer::sum);
            clients.merge(request.apiKey(), 1, Integer::sum);
            assertThat(request.text().length()).isBetween(20, 30);
            assertThat(request.priority()).isIn("high", "low");
        }

        assertThat(endpoints.get(Endpoint.CONVERT)).isBetween(2850, 3150);
        assertThat(clients.get("ka")).isBetween(3450, 3750);
        assertThat(sampler.next(5)).isEqualTo(sampler.next(5));
    }

    @Test
    void textsAreUniqueSoNoCacheCanAnswerThem() {
        ScenarioSampler sampler = new ScenarioSampler(Scenario.defaults(), "k", 1);

        assertThat(sampler.next(1).text()).isNotEqualTo(sampler.next(2).text());
        assertThat(sampler.next(1).priority()).isNull();
        assertThat(sampler.next(1).apiKey()).isEqualTo("k");
    }

    @Test
    void unknownFieldIsAClearError() {
        assertThatThrownBy(() -> load("endpoint: {convert: 1}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scenario.yaml").hasMessageContaining("endpoint");
    }

    @Test
    void unknownEndpointIsAClearError() {
        assertThatThrownBy(() -> load("endpoints: {sing: 1}\n"))
                .hasMessage("endpoint: sing (expected: one of convert, stream, stt, stream-input)");
    }

    @Test
    void clientWithoutKeyIsAClearError() {
        assertThatThrownBy(() -> load("clients:\n  - {name: a}\n"))
                .hasMessage("clients[0].api_key: missing (expected: a non-empty key)");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> Scenario.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("nope.yaml (expected: a readable YAML file)");
    }
}
