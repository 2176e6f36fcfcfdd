package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@code bin/xigate simulate} (the launcher and the shaded jar, as a user runs them), asks it for speech and
 * decodes the MP3 with sox. Runs in the integration-test phase, after the jar is packaged.
 */
class SimulateLauncherIT {
    @TempDir
    Path dir;

    @Test
    void launcherStartsTheSimulatorAndItAnswersWithPlayableMp3() throws Exception {
        String sox = SimulateCommandTest.requireTool("sox");
        Path root = Path.of(System.getenv().getOrDefault("XIGATE_ROOT", "..")).toAbsolutePath().normalize();
        Path launcher = root.resolve("bin/xigate");
        assertThat(Files.isExecutable(launcher)).as(launcher + " is executable").isTrue();

        Process process = new ProcessBuilder(launcher.toString(), "simulate", "--port", "0", "--plan", "pro",
                "--latency-scale", "0.1").redirectErrorStream(true).start();

        SimulateCommandTest.speakAndDecode(process, sox, dir);
    }
}
