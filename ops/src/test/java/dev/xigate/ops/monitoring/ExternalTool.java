package dev.xigate.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs a command-line tool the tests need; skips the test when it is missing, unless CI=true (then it fails). */
final class ExternalTool {
    private ExternalTool() {
    }

    /** Returns the tool's path on PATH, or skips/fails the test when it is not installed. */
    static Path require(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String reason = name + " not found on PATH (install the Debian package " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(reason + "; CI=true requires it");
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    /** Runs the command in the directory and returns its combined output, asserting exit status 0. */
    static String runOk(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as("%s finished within 60 s", String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as("exit status of %s, output:%n%s", String.join(" ", command), output)
                .isZero();
        return output;
    }
}
