package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.gateway.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void simulateServesSpeechWithoutConfigOrKey() throws Exception {
        try (ServeCommand.Running running = parse("--simulate", "--port", "0", "--admin-port", "0").start()) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + running.gateway().port() + "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream"))
                    .header("xi-api-key", "any").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Hello from the gateway.\"}")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isNotEmpty();
            assertThat(running.simulator().stats().family(dev.xigate.plan.ModelFamily.MULTILINGUAL).requests())
                    .isEqualTo(1);
        }
    }

    @Test
    void hashKeyPrintsTheSha256() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = new CommandLine(new ServeCommand());
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("--hash-key", "secret")).isZero();
        assertThat(out.toString().strip()).isEqualTo(KeyHashes.sha256Hex("secret")).hasSize(64);
    }

    @Test
    void refusesToStartWithoutAnUpstreamKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "upstream:\n  api-key-env: XIGATE_TEST_NO_SUCH_VARIABLE\n");
        assertThatThrownBy(() -> parse("--config", config.toString(), "--port", "0", "--admin-port", "0").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no ElevenLabs API key");
    }

    @Test
    void namesTheFieldOfAnInvalidConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "server:\n  port: 70000\n");
        assertThatThrownBy(() -> parse("--config", config.toString()).start())
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.port: 70000 (expected: 0..65535)");
    }
}
