package dev.xigate.ops.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Renders and writes the monitoring files of one project.
 *
 * <p>The files are templates (resources beside this class) with {@code @@NAME@@} placeholders, chosen so that they
 * collide neither with Prometheus/Alertmanager templating ({@code {{ }}}) nor with Grafana variables ({@code ${}}).
 * The alert groups are rendered once and used twice: in alerts.yml and in the Kubernetes PrometheusRule. Stateless.
 */
public final class MonitoringSetup {
    /** The files written, relative to the output directory, in the order they are written. */
    public static final List<String> FILES = List.of("prometheus.yml", "alerts.yml", "tests/alerts-test.yml",
            "alertmanager.yml", "grafana-dashboard.json", "kubernetes.yml", "logback.xml");

    private MonitoringSetup() {
    }

    /** Returns each file's content by relative path, rendered for the options. */
    public static Map<String, String> render(MonitoringOptions options) {
        Objects.requireNonNull(options, "options");
        String groups = substitute(template("alert-groups.yml"), options);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("prometheus.yml", substitute(template("prometheus.yml"), options));
        files.put("alerts.yml", substitute(template("alerts.yml"), options).replace("@@GROUPS@@", indent(groups, 2)));
        files.put("tests/alerts-test.yml", substitute(template("alerts-test.yml"), options));
        files.put("alertmanager.yml", substitute(template("alertmanager.yml"), options));
        files.put("grafana-dashboard.json", substitute(template("grafana-dashboard.json"), options));
        files.put("kubernetes.yml", substitute(template("kubernetes.yml"), options)
                .replace("@@SERVICE_PORTS@@", servicePorts(options))
                .replace("@@GROUPS_INDENTED@@", indent(groups, 4)));
        files.put("logback.xml", substitute(template("logback.xml"), options));
        return files;
    }

    /**
     * Writes the files into the directory (created if missing), replacing files of the same names.
     *
     * @return the paths written
     */
    public static List<Path> write(MonitoringOptions options, Path outDir) {
        Objects.requireNonNull(outDir, "outDir");
        List<Path> written = new ArrayList<>();
        try {
            for (Map.Entry<String, String> file : render(options).entrySet()) {
                Path target = outDir.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
                written.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write monitoring files to " + outDir + ": " + e.getMessage(), e);
        }
        return written;
    }

    private static String servicePorts(MonitoringOptions options) {
        String metrics = port("metrics", options.metricsPort());
        // One admin port may serve both: a Service must not list the same port twice.
        return options.healthPort() == options.metricsPort() ? metrics
                : metrics + "\n" + port("health", options.healthPort());
    }

    private static String port(String name, int port) {
        return "    - name: " + name + "\n      port: " + port + "\n      targetPort: " + port;
    }

    private static String substitute(String text, MonitoringOptions options) {
        return text.replace("@@PROJECT@@", options.projectName())
                .replace("@@LOG_LEVEL@@", options.logLevel().toUpperCase(Locale.ROOT))
                .replace("@@METRICS_PORT@@", Integer.toString(options.metricsPort()))
                .replace("@@HEALTH_PORT@@", Integer.toString(options.healthPort()))
                .replace("@@RUNBOOK_BASE@@", options.runbookBaseUrl());
    }

    private static String indent(String text, int spaces) {
        String prefix = " ".repeat(spaces);
        return text.lines()
                .map(line -> line.isEmpty() ? line : prefix + line)
                .collect(Collectors.joining("\n"));
    }

    private static String template(String name) {
        try (InputStream in = MonitoringSetup.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("cannot render monitoring files: template " + name + " missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + name, e);
        }
    }
}
