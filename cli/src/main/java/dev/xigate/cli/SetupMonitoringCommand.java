package dev.xigate.cli;

import dev.xigate.ops.monitoring.MonitoringOptions;
import dev.xigate.ops.monitoring.MonitoringSetup;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code xigate setup-monitoring} command: writes the monitoring files of one project into a directory. */
@Command(name = "setup-monitoring", mixinStandardHelpOptions = true,
        description = "Writes Prometheus scrape config, alert rules and their promtool tests, Alertmanager config, "
                + "a Grafana dashboard, a Kubernetes ServiceMonitor/PrometheusRule pair and a logging config.")
final class SetupMonitoringCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--project-name", defaultValue = MonitoringOptions.DEFAULT_PROJECT_NAME,
            description = "Project name: Prometheus job, Kubernetes names, alert label (default: ${DEFAULT-VALUE}).")
    private String projectName;

    @Option(names = "--log-level", defaultValue = MonitoringOptions.DEFAULT_LOG_LEVEL,
            description = "Default level of xigate's loggers: trace, debug, info, warn, error "
                    + "(default: ${DEFAULT-VALUE}).")
    private String logLevel;

    @Option(names = "--metrics-port", defaultValue = "" + MonitoringOptions.DEFAULT_METRICS_PORT,
            description = "Port Prometheus scrapes /metrics on: the gateway's admin port (default: ${DEFAULT-VALUE}).")
    private int metricsPort;

    @Option(names = "--health-port", defaultValue = "" + MonitoringOptions.DEFAULT_HEALTH_PORT,
            description = "Port serving /health/live and /health/ready (default: ${DEFAULT-VALUE}).")
    private int healthPort;

    @Option(names = "--runbook-base-url", defaultValue = MonitoringOptions.DEFAULT_RUNBOOK_BASE_URL,
            description = "Where the runbooks live; alerts link <base>/<runbook>.md (default: ${DEFAULT-VALUE}).")
    private String runbookBaseUrl;

    @Option(names = "--out", defaultValue = "monitoring",
            description = "Directory to write into, created if missing (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override
    public Integer call() {
        MonitoringOptions options = new MonitoringOptions(projectName, logLevel, metricsPort, healthPort,
                runbookBaseUrl);
        List<Path> written = MonitoringSetup.write(options, out);
        for (Path file : written) {
            spec.commandLine().getOut().println("wrote " + file);
        }
        return 0;
    }
}
