package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadtestCommandTest {
    private HttpServer upstream;
    private final AtomicInteger received = new AtomicInteger();
    private volatile int status = 200;

    @TempDir
    Path out;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.createContext("/v1/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            byte[] body = status == 200 ? new byte[1024]
                    : "{\"detail\":{\"status\":\"internal_server_error\",\"message\":\"boom\"}}"
                            .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        });
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    private String target() {
        return "http://127.0.0.1:" + upstream.getAddress().getPort();
    }

    @Test
    void burstRunPassesAndWritesItsReports() throws IOException {
        int exit = Main.run("loadtest", "--pattern", "burst", "--concurrency", "3", "--iterations", "9",
                "--target", target(), "--out", out.toString(), "--max-error-rate", "0");

        assertThat(exit).isZero();
        assertThat(received.get()).isEqualTo(9);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/requests/succeeded").asLong()).isEqualTo(9);
        assertThat(out.resolve("report.html")).exists();
    }

    @Test
    void exitsWithOneWhenTheErrorRateIsAboveTheLimit() {
        status = 500;

        int exit = Main.run("loadtest", "--pattern", "soak", "--rps", "10", "--duration", "1",
                "--target", target(), "--max-error-rate", "0.05");

        assertThat(exit).isEqualTo(1);
        assertThat(received.get()).isEqualTo(10);
    }

    @Test
    void refusesARemoteTargetWithoutConfirmation() {
        int exit = Main.run("loadtest", "--target", "https://api.elevenlabs.io", "--duration", "1");

        assertThat(exit).isEqualTo(2);
        assertThat(received.get()).isZero();
    }

    @Test
    void refusesARemoteTargetWhenTheConfirmedPlanDiffers() {
        int exit = Main.run("loadtest", "--target", "https://api.elevenlabs.io", "--allow-remote",
                "--plan-tier", "pro", "--confirm-plan", "creator", "--duration", "1");

        assertThat(exit).isEqualTo(2);
    }

    @Test
    void chaosWithoutASimulatorIsAUsageError() {
        assertThat(Main.run("loadtest", "--pattern", "chaos", "--target", target())).isEqualTo(2);
        assertThat(received.get()).isZero();
    }
}
