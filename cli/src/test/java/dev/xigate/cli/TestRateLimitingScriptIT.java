package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code scripts/test-rate-limiting.sh} as a user does, without {@code --target}: it must start
 * {@code bin/xigate serve --simulate} on free ports, run the load test against it, write the reports and stop the
 * gateway again. Runs in the integration-test phase, after the jar is packaged.
 */
class TestRateLimitingScriptIT {
    @TempDir
    Path dir;

    private static Path root() {
        return Path.of(System.getenv().getOrDefault("XIGATE_ROOT", "..")).toAbsolutePath().normalize();
    }

    private int runScript(Path out, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root().resolve("scripts/test-rate-limiting.sh")
                .toString()));
        command.addAll(List.of(flags));
        command.addAll(List.of("--out", out.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("script.log").toFile()).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the script did not finish within 180 s: " + Files.readString(
                    dir.resolve("script.log")));
        }
        return process.exitValue();
    }

    private static boolean listening(URI uri) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void seedBurstRunsAgainstAGatewayItStartsAndStops() throws Exception {
        Path out = dir.resolve("burst");

        int exit = runScript(out, "--pattern", "burst", "--concurrency", "10", "--iterations", "30",
                "--plan-tier", "free", "--max-error-rate", "0");

        String log = Files.readString(dir.resolve("script.log"));
        assertThat(exit).as(log).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/requests/succeeded").asLong()).isEqualTo(30);
        assertThat(summary.at("/upstream/source").asText()).isEqualTo("simulator");
        assertThat(summary.at("/upstream/requests_counted").asLong()).isEqualTo(30);
        assertThat(summary.at("/upstream/max_concurrency/multilingual").asInt()).isBetween(1, 2);
        assertThat(out.resolve("report.html")).exists();
        assertThat(out.resolve("gateway.log")).exists();
        assertThat(listening(URI.create(summary.at("/settings/target").asText()))).as("gateway stopped").isFalse();
    }

    @Test
    void chaosDrivesTheSimulatorOfTheGatewayItStarts() throws Exception {
        Path out = dir.resolve("chaos");

        int exit = runScript(out, "--pattern", "chaos", "--failure-rate", "0.5", "--rps", "10", "--duration", "2");

        String log = Files.readString(dir.resolve("script.log"));
        assertThat(exit).as(log).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/settings/simulator").asText()).startsWith("http://127.0.0.1:");
        assertThat(summary.at("/upstream/errors_counted").asLong()).isPositive();
        assertThat(summary.at("/requests/sent").asLong()).isEqualTo(20);
    }
}
