/**
 * The {@code setup-monitoring} generator: Prometheus, Alertmanager, Grafana, Kubernetes and logging configuration for
 * one project, rendered from the templates beside this package's classes.
 */
package dev.xigate.ops.monitoring;
