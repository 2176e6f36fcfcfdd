package dev.xigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher {@code bin/xigate} on its own: what it does when it may not build. */
class LauncherIT {
    @TempDir
    Path dir;

    private static Path root() {
        return Path.of(System.getenv().getOrDefault("XIGATE_ROOT", "..")).toAbsolutePath().normalize();
    }

    @Test
    void withoutAJarAndNotAllowedToBuildItSaysHowToBuildIt() throws Exception {
        // A copy of the launcher in a tree without cli/target: there is no jar to run.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String name : new String[] {"xigate", "java-env"}) {
            Files.copy(root().resolve("bin").resolve(name), bin.resolve(name));
        }
        bin.resolve("xigate").toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder(bin.resolve("xigate").toString(), "--help");
        builder.environment().put("XIGATE_NO_BUILD", "1");
        Process process = builder.start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr).contains("cli/target/xigate.jar is missing and XIGATE_NO_BUILD=1")
                .contains("mvn -pl cli -am package");
    }

    @Test
    void notAllowedToBuildRunsTheJarThatIsThere() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root().resolve("bin/xigate").toString(), "--version");
        builder.environment().put("XIGATE_NO_BUILD", "1");
        builder.redirectErrorStream(true);
        Process process = builder.start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("building the runnable jar");
    }
}
