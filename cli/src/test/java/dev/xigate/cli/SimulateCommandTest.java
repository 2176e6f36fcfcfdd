package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code xigate simulate} as its own process (the launcher's main class on the test class path), asks it for
 * speech, and decodes the MP3 with sox.
 */
class SimulateCommandTest {
    private static final Pattern LISTENING = Pattern.compile("url=http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void simulateCommandAnswersWithPlayableMp3() throws Exception {
        String sox = requireTool("sox");
        Process process = new ProcessBuilder(javaBinary(), "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "simulate", "--port", "0", "--plan", "pro", "--latency-scale", "0.1")
                .redirectErrorStream(true).start();
        speakAndDecode(process, sox, dir);
    }

    /** Waits for the simulator in {@code process}, asks it for speech, decodes the MP3, then stops the process. */
    static void speakAndDecode(Process process, String sox, Path dir) throws Exception {
        try {
            int port = awaitPort(process);
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM"))
                    .header("xi-api-key", "any-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"The command line simulator speaks.\"}"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("audio/mpeg");
            assertThat(response.headers().firstValue("maximum-concurrent-requests")).contains("10");
            Path file = dir.resolve("speech.mp3");
            Files.write(file, response.body());
            Process decode = new ProcessBuilder(sox, file.toString(), "-n", "stat").redirectErrorStream(true).start();
            String stat = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(decode.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(decode.exitValue()).as(stat).isZero();
            Matcher length = Pattern.compile("Length \\(seconds\\):\\s+([0-9.]+)").matcher(stat);
            assertThat(length.find()).as(stat).isTrue();
            assertThat(Double.parseDouble(length.group(1))).isBetween(2.4, 2.6);
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertThat(process.exitValue()).as("graceful exit on SIGTERM").isIn(0, 143);
    }

    private static int awaitPort(Process process) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        return Integer.parseInt(matcher.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException("simulate exited without listening");
        });
        int found = port.get(60, TimeUnit.SECONDS);
        // Keep draining the output so that the child never blocks on a full pipe.
        CompletableFuture.runAsync(() -> reader.lines().forEach(line -> { }));
        return found;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String requireTool(String tool) {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dirName, tool);
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        String reason = tool + " not found on PATH (apt-get install sox libsox-fmt-mp3)";
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + "; CI=true requires it");
        }
        Assumptions.abort(reason);
        return null;
    }
}
