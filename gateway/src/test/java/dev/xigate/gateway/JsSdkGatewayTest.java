package dev.xigate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xigate.gateway.auth.KeyHashes;
import dev.xigate.gateway.config.ClientSettings;
import dev.xigate.gateway.config.GatewayConfig;
import dev.xigate.gateway.config.ServerSettings;
import dev.xigate.gateway.config.UpstreamSettings;
import dev.xigate.plan.PlanTier;
import dev.xigate.simulator.Simulator;
import dev.xigate.simulator.SimulatorConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the official JavaScript SDK ({@code it/js-sdk/gateway-test.mjs}, npm {@code @elevenlabs/elevenlabs-js@2.73.0})
 * unmodified against the gateway, with the simulator behind it: only the base URL and the key change.
 */
class JsSdkGatewayTest {
    private static final String CLIENT_KEY = "sdk-gateway-client-key";
    private static final String UPSTREAM_KEY = "sdk-upstream-key";

    @Test
    void officialSdkWorksUnmodifiedThroughTheGateway() throws Exception {
        String node = requireNode();
        Path sdkDir = sdkDirectory();
        if (!Files.isDirectory(sdkDir.resolve("node_modules/@elevenlabs/elevenlabs-js"))) {
            skipOrFail("the SDK is not installed: run 'npm ci' in " + sdkDir);
        }
        try (Simulator sim = Simulator.start(SimulatorConfig.builder().plan(PlanTier.PRO).latencyScale(0.05)
                .apiKeys(Set.of(UPSTREAM_KEY)).host("127.0.0.1").port(0).build())) {
            GatewayConfig config = GatewayConfig.ofDefaults()
                    .withServer(ServerSettings.ofDefaults().withPort(0).withAdminPort(0))
                    .withUpstream(UpstreamSettings.ofDefaults().withUrl(sim.baseUri().toString()))
                    .withClients(List.of(ClientSettings.of("sdk", KeyHashes.sha256Hex(CLIENT_KEY), "normal",
                            "high")));
            try (Gateway gateway = Gateway.builder(config).limiter(LimiterFactory.inMemory(config))
                    .apiKey(UPSTREAM_KEY).accessLog(false).start()) {
                ProcessBuilder builder = new ProcessBuilder(node, "gateway-test.mjs").directory(sdkDir.toFile())
                        .redirectErrorStream(true);
                builder.environment().put("GATEWAY_URL", "http://127.0.0.1:" + gateway.port());
                builder.environment().put("GATEWAY_KEY", CLIENT_KEY);
                builder.environment().put("SIM_URL", sim.baseUri().toString());
                builder.environment().remove("ELEVENLABS_API_KEY");
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean finished = process.waitFor(120, TimeUnit.SECONDS);
                if (!finished) {
                    process.destroyForcibly();
                }
                assertThat(finished).as("node finished in time").isTrue();
                assertThat(process.exitValue()).as(output).isZero();
                assertThat(output).contains("\"failed\":0").doesNotContain("FAIL ");
            }
        }
    }

    private static String requireNode() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return "node";
            }
        } catch (IOException e) {
            // reported below
        }
        skipOrFail("node is not on PATH (Node.js 18+ runs the official SDK)");
        return "node";
    }

    private static void skipOrFail(String reason) {
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + "; CI=true requires it");
        }
        Assumptions.abort(reason);
    }

    private static Path sdkDirectory() {
        String root = System.getenv("XIGATE_ROOT");
        File base = root != null ? new File(root) : new File("..");
        return base.toPath().resolve("it/js-sdk").toAbsolutePath().normalize();
    }
}
