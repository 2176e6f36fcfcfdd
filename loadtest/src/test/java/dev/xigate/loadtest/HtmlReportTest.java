package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.PlanTier;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    private static final List<String> CHARTS = List.of("chart-latency", "chart-throughput", "chart-concurrency",
            "chart-queue", "chart-queue-wait", "chart-errors");
    private static Summary summary;

    @TempDir
    Path dir;

    @BeforeAll
    static void runALoad() {
        try (StubUpstream stub = StubUpstream.start(PlanTier.FREE, 150);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            LoadtestConfig config = LoadtestConfig.builder().pattern(LoadPattern.RAMP_UP).target(stub.uri())
                    .simulator(stub.uri()).planTier(PlanTier.FREE).startRps(5.0).endRps(25.0).durationSeconds(3)
                    .maxErrorRate(0.5).build();
            summary = new LoadRunner(config, http, System::nanoTime, Clock.systemUTC(), (p, t, d, l) -> { })
                    .run();
        }
    }

    @Test
    void reportIsSelfContained() {
        String html = HtmlReport.render(summary);

        assertThat(html).doesNotContain("<script").doesNotContain("http://cdn").doesNotContain("https://");
        for (String chart : CHARTS) {
            assertThat(html).contains("id=\"" + chart + "\"");
        }
        assertThat(html).contains("<polyline").contains("plan limit (2)");
    }

    @Test
    void emptyTimelineStillRendersEveryChart() {
        Summary empty = new Summary(summary.tool(), summary.startedAt(), summary.finishedAt(), 0,
                summary.settings(), summary.requests(), summary.latencyMs(), summary.serviceTimeMs(),
                summary.ttfbMs(), summary.throughputRps(), summary.errors(), summary.byEndpoint(), summary.gateway(),
                summary.upstream(), List.of(), summary.verdict());

        String html = HtmlReport.render(empty);

        assertThat(html).contains("n/a: no data for this run");
        assertThat(html.split("<svg class=\"chart\"", -1)).hasSize(CHARTS.size() + 1);
    }

    @Test
    void headlessChromiumShowsTheCharts() throws Exception {
        Path chromium = findChromium();
        SummaryWriter.write(summary, dir);
        Path report = dir.resolve(SummaryWriter.REPORT_FILE);
        Path artifacts = Path.of("target", "test-artifacts");
        Files.createDirectories(artifacts);
        Path screenshot = artifacts.resolve("loadtest-report.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);

        String dom = runChromium(chromium, "--dump-dom", report.toUri().toString());
        runChromium(chromium, "--screenshot=" + screenshot, "--window-size=1200,2000", report.toUri().toString());

        for (String chart : CHARTS) {
            assertThat(dom).contains("<svg class=\"chart\" id=\"" + chart + "\"");
        }
        assertThat(dom).contains("<polyline").contains("id=\"verdict\"");
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    private String runChromium(Path chromium, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path output = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s: " + command);
        }
        assertThat(process.exitValue()).as("chromium exit status").isZero();
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private static Path findChromium() {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path candidate = Path.of(dirName, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("chromium is not installed (CI=true requires it; .ci/install-deps installs it)");
        }
        Assumptions.abort("chromium is not installed: skipping the headless report check");
        return null;
    }
}
