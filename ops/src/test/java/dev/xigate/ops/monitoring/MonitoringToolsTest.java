package dev.xigate.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the generated files with the real tools: promtool (rules, rule unit tests, config) and amtool. */
class MonitoringToolsTest {
    @TempDir
    Path out;

    @Test
    void generatedFilesPassPromtoolAndAmtool() throws Exception {
        Path promtool = ExternalTool.require("promtool", "prometheus");
        Path amtool = ExternalTool.require("amtool", "prometheus-alertmanager");
        MonitoringSetup.write(new MonitoringOptions("acme-voice", "debug", 9400, 9401, "https://runbooks.example/x"),
                out);

        String rules = ExternalTool.runOk(out, promtool.toString(), "check", "rules", "alerts.yml");
        String unitTests = ExternalTool.runOk(out, promtool.toString(), "test", "rules", "tests/alerts-test.yml");
        String config = ExternalTool.runOk(out, promtool.toString(), "check", "config", "prometheus.yml");
        String alertmanager = ExternalTool.runOk(out, amtool.toString(), "check-config", "alertmanager.yml");

        assertThat(rules).contains("SUCCESS: 6 rules found");
        assertThat(unitTests).contains("SUCCESS");
        assertThat(config).contains("SUCCESS");
        assertThat(alertmanager).contains("SUCCESS");
    }

    @Test
    void checkedInFilesPassPromtoolAndAmtool() throws Exception {
        Path promtool = ExternalTool.require("promtool", "prometheus");
        Path amtool = ExternalTool.require("amtool", "prometheus-alertmanager");
        Path monitoring = CheckedInFiles.root().resolve("monitoring");

        ExternalTool.runOk(monitoring, promtool.toString(), "check", "rules", "alerts.yml");
        String unitTests = ExternalTool.runOk(monitoring, promtool.toString(), "test", "rules",
                "tests/alerts-test.yml");
        ExternalTool.runOk(monitoring, promtool.toString(), "check", "config", "prometheus.yml");
        ExternalTool.runOk(monitoring, amtool.toString(), "check-config", "alertmanager.yml");

        assertThat(unitTests).contains("SUCCESS");
    }

    @Test
    void unitTestsCatchAWrongThreshold() throws Exception {
        Path promtool = ExternalTool.require("promtool", "prometheus");
        MonitoringSetup.write(MonitoringOptions.ofDefaults(), out);
        Path alerts = out.resolve("alerts.yml");
        Files.writeString(alerts, Files.readString(alerts).replace("> 500", "> 600"));

        Process process = new ProcessBuilder(promtool.toString(), "test", "rules", "tests/alerts-test.yml")
                .directory(out.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).isNotZero();
        assertThat(output).contains("ElevenLabsQueueDepthHigh");
    }
}
