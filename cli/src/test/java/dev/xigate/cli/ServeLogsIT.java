package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.ChaosConfig;
import dev.xigate.simulator.FaultKind;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Runs {@code bin/xigate serve} as a user does, against a simulator that fails now and then, drives good and bad
 * traffic through it, and reads back every line the process wrote: each is one JSON object, each request has its
 * access line, retries show at warn, and neither the upstream key nor any client key appears anywhere.
 */
class ServeLogsIT {
    private static final String UPSTREAM_KEY = "sk_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f";
    private static final String CLIENT_KEY = "xg_client_5f1e9d3c7b2a6e0f4d8c";
    private static final String WRONG_KEY = "xg_wrong_0a1b2c3d4e5f6a7b8c9d";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Simulator simulator;
    private Process gateway;

    @AfterEach
    void stop() throws InterruptedException {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void everyLogLineIsJsonAndNoKeyEverAppears() throws Exception {
        simulator = Simulator.start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05)
                .apiKeys(Set.of(UPSTREAM_KEY)).chaos(ChaosConfig.builder().failureRate(FaultKind.ERROR_503, 0.3)
                        .build()).host("127.0.0.1").port(0).build());
        Path log = dir.resolve("stdout.log");
        gateway = startGateway(log, "DEBUG", "--quota-interval", "1");

        int[] ports = awaitPorts(log);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(speak(ports[0], CLIENT_KEY, "Line number " + i + " of the log test."));
        }
        calls.add(speak(ports[0], WRONG_KEY, "This one has a wrong key."));
        calls.forEach(CompletableFuture::join);
        assertThat(get(ports[1], "/metrics")).contains("elevenlabs_requests_total");
        await().atMost(Duration.ofSeconds(20)).until(() -> get(ports[1], "/health/ready").contains("key accepted"));
        gateway.destroy();
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("gateway stopped on SIGTERM").isTrue();

        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            assertThat(line).doesNotContain(UPSTREAM_KEY, CLIENT_KEY, WRONG_KEY);
            events.add(JSON.readTree(line));
        }
        List<JsonNode> access = events.stream().filter(e -> "xigate.access".equals(e.path("logger_name").asText()))
                .toList();
        assertThat(access).hasSize(21);
        assertThat(access).allSatisfy(e -> assertThat(e.path("requestId").asText()).isNotEmpty());
        assertThat(access).filteredOn(e -> e.path("status").asInt() == 401).hasSize(1);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("level").asText()).isEqualTo("WARN");
            assertThat(e.path("message").asText()).contains("Upstream retry scheduled");
        });
    }

    @Test
    void requestsFinishingDuringShutdownAreAnsweredAndLogged() throws Exception {
        // About 3 s per multilingual request: still in flight when the gateway is told to stop.
        simulator = Simulator.start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(10)
                .apiKeys(Set.of(UPSTREAM_KEY)).host("127.0.0.1").port(0).build());
        Path log = dir.resolve("stdout.log");
        gateway = startGateway(log, "INFO");
        int[] ports = awaitPorts(log);

        CompletableFuture<HttpResponse<String>> inFlight = speak(ports[0], CLIENT_KEY, "Still speaking at the end.");
        await().atMost(Duration.ofSeconds(20)).until(() -> get(ports[1], "/metrics").lines()
                .anyMatch(line -> line.startsWith("elevenlabs_concurrent_requests{")
                        && line.contains("multilingual") && !line.endsWith(" 0.0")));
        gateway.destroy();

        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).as("drained, not cut off").isEqualTo(200);
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("gateway stopped on SIGTERM").isTrue();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        List<String> messages = events.stream().map(e -> e.path("message").asText()).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("- Shutting down"));
        assertThat(events).as("the access line of the request that finished while draining")
                .anySatisfy(e -> {
                    assertThat(e.path("logger_name").asText()).isEqualTo("xigate.access");
                    assertThat(e.path("status").asInt()).isEqualTo(200);
                });
        assertThat(messages.get(messages.size() - 1)).as("the last line").startsWith("- Gateway stopped");
    }

    /** Starts {@code bin/xigate serve} in front of the test's simulator, with one client key, logging to a file. */
    private Process startGateway(Path log, String logLevel, String... extraFlags) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("upstream.key"), UPSTREAM_KEY + "\n");
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "plan: pro\nupstream:\n  url: "
                + simulator.baseUri() + "\n  api-key-file: " + keyFile + "\nclients:\n  - name: app\n"
                + "    key-sha256: " + KeyHashes.sha256Hex(CLIENT_KEY) + "\n");
        Path root = Path.of(System.getenv().getOrDefault("XIGATE_ROOT", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/xigate").toString(), "serve", "--config",
                config.toString(), "--port", "0", "--admin-port", "0"));
        command.addAll(List.of(extraFlags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("XIGATE_LOG_LEVEL", logLevel);
        return builder.start();
    }

    private CompletableFuture<HttpResponse<String>> speak(int port, String key, String text) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/text-to-speech/"
                        + Simulator.DEFAULT_VOICE_ID + "/stream"))
                .header("xi-api-key", key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text
                        + "\",\"model_id\":\"eleven_multilingual_v2\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int[] awaitPorts(Path log) {
        Pattern listening = Pattern.compile("Gateway listening .* port=(\\d+) adminPort=(\\d+)");
        int[] ports = new int[2];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher matcher = listening.matcher(Files.readString(log));
            if (!matcher.find()) {
                return false;
            }
            ports[0] = Integer.parseInt(matcher.group(1));
            ports[1] = Integer.parseInt(matcher.group(2));
            return true;
        });
        return ports;
    }
}
