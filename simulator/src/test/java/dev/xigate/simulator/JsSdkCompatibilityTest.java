package dev.xigate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the official JavaScript SDK ({@code it/js-sdk/sdk-test.mjs}, npm {@code @elevenlabs/elevenlabs-js@2.73.0})
 * against an in-process simulator: convert, stream, timestamps, speech-to-text, voices, models, user, and the SDK's
 * error types and retry policy on 400, 401, 422, 429 and 500.
 */
class JsSdkCompatibilityTest {
    private static final String KEY = "sdk-key";

    @Test
    void officialSdkWorksUnmodifiedAgainstTheSimulator() throws Exception {
        String node = ExternalTools.require("node", "Node.js 18+ runs the official SDK");
        Path sdkDir = sdkDirectory();
        if (!Files.isDirectory(sdkDir.resolve("node_modules/@elevenlabs/elevenlabs-js"))) {
            String reason = "the SDK is not installed: run 'npm ci' in " + sdkDir;
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + "; CI=true requires it");
            }
            Assumptions.abort(reason);
        }

        try (Simulator sim = Simulator.start(SimulatorConfig.builder().latencyScale(0.05)
                .apiKeys(Set.of(KEY)).build())) {
            ProcessBuilder builder = new ProcessBuilder(node, "sdk-test.mjs").directory(sdkDir.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("SIM_URL", sim.baseUri().toString());
            builder.environment().put("SIM_KEY", KEY);
            builder.environment().remove("ELEVENLABS_API_KEY");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean finished = process.waitFor(180, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }

            assertThat(finished).as("node finished in time").isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("\"failed\":0").doesNotContain("FAIL ");
        }
    }

    private static Path sdkDirectory() {
        String root = System.getenv("XIGATE_ROOT");
        File base = root != null ? new File(root) : new File("..");
        return base.toPath().resolve("it/js-sdk").toAbsolutePath().normalize();
    }
}
