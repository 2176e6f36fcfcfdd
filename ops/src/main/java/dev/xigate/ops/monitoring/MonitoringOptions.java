package dev.xigate.ops.monitoring;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Holds the inputs of {@code setup-monitoring}, validated: every generated file is a function of them. Immutable.
 *
 * @param projectName the project's name: Prometheus job, Kubernetes object names, alert label {@code project}
 * @param logLevel the default level of xigate's loggers in the generated logging config (trace..error)
 * @param metricsPort the port Prometheus scrapes {@code /metrics} on (the gateway's admin port)
 * @param healthPort the port that serves {@code /health/live} and {@code /health/ready}
 * @param runbookBaseUrl where the runbooks live; each alert links {@code <base>/<alert>.md}
 */
public record MonitoringOptions(String projectName, String logLevel, int metricsPort, int healthPort,
        String runbookBaseUrl) {
    /** The default project name, also the name of the checked-in example in monitoring/. */
    public static final String DEFAULT_PROJECT_NAME = "xigate";
    /** The default log level. */
    public static final String DEFAULT_LOG_LEVEL = "info";
    /** The default metrics port (the seed's). */
    public static final int DEFAULT_METRICS_PORT = 9090;
    /** The default health port (the seed's). */
    public static final int DEFAULT_HEALTH_PORT = 8080;
    /** The default runbook location: the repository's docs/runbooks, relative to a checkout. */
    public static final String DEFAULT_RUNBOOK_BASE_URL = "docs/runbooks";

    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?");
    private static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "error");

    /** Creates options, checking each value. */
    public MonitoringOptions {
        Objects.requireNonNull(projectName, "projectName");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(runbookBaseUrl, "runbookBaseUrl");
        if (!PROJECT_NAME.matcher(projectName).matches()) {
            throw new IllegalArgumentException("project name: " + projectName
                    + " (expected: lower-case letters, digits and inner dashes, 1..52 characters)");
        }
        logLevel = logLevel.trim().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new IllegalArgumentException("log level: " + logLevel + " (expected: one of " + LOG_LEVELS + ")");
        }
        checkPort("metrics port", metricsPort);
        checkPort("health port", healthPort);
        if (runbookBaseUrl.isBlank() || runbookBaseUrl.chars().anyMatch(c -> c == '"' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("runbook base url: " + runbookBaseUrl
                    + " (expected: a url or path without spaces or quotes)");
        }
        runbookBaseUrl = runbookBaseUrl.endsWith("/")
                ? runbookBaseUrl.substring(0, runbookBaseUrl.length() - 1) : runbookBaseUrl;
    }

    /** Returns the options of the checked-in example: the defaults everywhere. */
    public static MonitoringOptions ofDefaults() {
        return new MonitoringOptions(DEFAULT_PROJECT_NAME, DEFAULT_LOG_LEVEL, DEFAULT_METRICS_PORT,
                DEFAULT_HEALTH_PORT, DEFAULT_RUNBOOK_BASE_URL);
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + ": " + port + " (expected: 1..65535)");
        }
    }
}
